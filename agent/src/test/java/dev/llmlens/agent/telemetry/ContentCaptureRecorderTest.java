package dev.llmlens.agent.telemetry;

import static dev.llmlens.agent.telemetry.RecorderFixture.openAiChat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.bootstrap.ToolDefinition;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The content attributes on real spans: there while capture is on, absent (even if filled) while it is off. */
class ContentCaptureRecorderTest {

    private static final List<String> CONTENT_KEYS = List.of("gen_ai.input.messages", "gen_ai.output.messages",
            "gen_ai.system_instructions", "gen_ai.tool.definitions", "gen_ai.tool.call.arguments",
            "gen_ai.tool.call.result");

    private final RecorderFixture fixture = new RecorderFixture();

    @AfterEach
    void close() {
        LlmLens.captureContent(false);
        fixture.close();
    }

    private static InferenceCall chatWithContent() {
        InferenceCall call = openAiChat("gpt-4o-mini");
        call.inputMessages = List.of(Message.text("system", "Be brief."), Message.text("user", "Weather in Paris?"));
        call.systemInstructions = List.of("Answer in French.");
        call.toolDefinitions = List.of(ToolDefinition.function("get_weather", "Weather for a city", null));
        return call;
    }

    @Test
    void aChatSpanCarriesItsContentWhileCaptureIsOn() {
        LlmLens.captureContent(true);
        InferenceCall call = chatWithContent();
        LlmLens.start(call);
        call.addFinishReason("tool_calls");
        call.output(0).add(Part.toolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));
        Message second = call.output(1);
        second.appendText("Il ");
        second.appendText("pleut.");
        second.finishReason = "stop";
        LlmLens.end(call);
        SpanData span = fixture.onlySpan();
        assertEquals("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather in Paris?\"}]}]", attr(span, "gen_ai.input.messages"));
        assertEquals("[{\"type\":\"text\",\"content\":\"Answer in French.\"}]", attr(span, "gen_ai.system_instructions"));
        assertEquals("[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Weather for a city\"}]",
                attr(span, "gen_ai.tool.definitions"));
        // the first choice has no reason of its own: it takes the call's first, mapped
        assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"get_weather\","
                        + "\"arguments\":{\"city\":\"Paris\"}}],\"finish_reason\":\"tool_call\"},"
                        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Il pleut.\"}],\"finish_reason\":\"stop\"}]",
                attr(span, "gen_ai.output.messages"));
        // the span's own finish reasons stay in the provider's words
        assertEquals(List.of("tool_calls"), span.getAttributes().get(GenAiAttributes.FINISH_REASONS));
    }

    @Test
    void aFailedCallsPartialAnswerEndsInError() {
        LlmLens.captureContent(true);
        InferenceCall call = chatWithContent();
        LlmLens.start(call);
        call.output(0).appendText("Il ple");
        LlmLens.end(call, new IOException("connection reset"));
        assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Il ple\"}],\"finish_reason\":\"error\"}]",
                attr(fixture.onlySpan(), "gen_ai.output.messages"));
    }

    @Test
    void aToolSpanCarriesArgumentsAndResultWhileCaptureIsOn() {
        LlmLens.captureContent(true);
        ToolCall tool = new ToolCall("test", "get_weather");
        tool.arguments = "{\"city\":\"Paris\",\"api_key\":\"sk-proj-Zx9yW8vU7tS6rQ5pO4nM3lK2\"}";
        LlmLens.start(tool);
        tool.result = "rainy, 57°F";
        LlmLens.end(tool);
        SpanData span = fixture.onlySpan();
        assertEquals("{\"city\":\"Paris\",\"api_key\":\"[REDACTED:openai_key]\"}", attr(span, "gen_ai.tool.call.arguments"));
        assertEquals("\"rainy, 57°F\"", attr(span, "gen_ai.tool.call.result"));
    }

    @Test
    void nothingIsWrittenWhileCaptureIsOffEvenWhenAHookFilledIt() {
        InferenceCall call = chatWithContent();
        LlmLens.start(call);
        call.output(0).appendText("Il pleut.");
        LlmLens.end(call);
        ToolCall tool = new ToolCall("test", "get_weather");
        tool.arguments = "{\"city\":\"Paris\"}"; // always kept: loop detection digests it
        tool.result = "rainy";
        LlmLens.start(tool);
        LlmLens.end(tool);
        List<SpanData> spans = fixture.spans.getFinishedSpanItems();
        assertEquals(2, spans.size());
        for (SpanData span : spans) {
            for (String key : CONTENT_KEYS) {
                assertNull(attr(span, key), span.getName() + " " + key);
            }
            assertFalse(span.getAttributes().asMap().toString().contains("Paris"), span.toString());
        }
    }

    private static String attr(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }
}
