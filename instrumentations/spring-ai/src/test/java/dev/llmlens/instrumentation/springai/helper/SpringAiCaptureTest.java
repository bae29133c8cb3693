package dev.llmlens.instrumentation.springai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.testing.ContentCapture;
import dev.llmlens.instrumentation.testing.MessageText;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.MimeType;
import reactor.core.publisher.Flux;

/**
 * Content capture through the helpers' entry points, on Spring AI's real message and response objects
 * (1.1.0, the newest 1.1 and 2.0), the way SpringAiHooksTest drives them.
 */
class SpringAiCaptureTest {

    private static final OpenAiChatModel MODEL = SpringAiHooksTest.MODEL;

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    @RegisterExtension
    final ContentCapture capture = new ContentCapture();

    private static ToolCallback weatherTool() {
        return FunctionToolCallback.builder("weather", (String city) -> "sunny in " + city).description("Weather in a city")
                .inputType(String.class).build();
    }

    private static Prompt conversation() {
        UserMessage question = UserMessage.builder().text("Weather where these were taken?").media(List.of(
                new Media(MimeType.valueOf("image/png"), URI.create("https://example.com/paris.png")),
                new Media(MimeType.valueOf("image/jpeg"), new ByteArrayResource(new byte[] {1, 2, 3, 4, 5})),
                new Media(MimeType.valueOf("application/pdf"), new ByteArrayResource(new byte[] {9, 9})))).build();
        AssistantMessage askedForTool = AssistantMessage.builder().content("").toolCalls(List.of(
                new AssistantMessage.ToolCall("call_1", "function", "weather", "\"Paris\""))).build();
        ToolResponseMessage toolAnswered = ToolResponseMessage.builder().responses(List.of(
                new ToolResponseMessage.ToolResponse("call_1", "weather", "\"sunny\""))).build();
        return new Prompt(List.of(new SystemMessage("Be brief."), question, askedForTool, toolAnswered),
                ToolCallingChatOptions.builder().model("gpt-4o-mini").toolCallbacks(List.of(weatherTool())).build());
    }

    private static Generation generation(AssistantMessage message, String finishReason) {
        return new Generation(message, ChatGenerationMetadata.builder().finishReason(finishReason).build());
    }

    private static ChatResponse response(Generation... generations) {
        return new ChatResponse(List.of(generations), ChatResponseMetadata.builder().id("chatcmpl-1")
                .usage(new DefaultUsage(10, 2)).build());
    }

    private static AssistantMessage text(String text) {
        return AssistantMessage.builder().content(text).build();
    }

    @Test
    void aRoundTripsPromptToolsAndEveryGenerationAreCaptured() {
        RoundTrip round = SpringAiHooks.enterRoundTrip(MODEL, conversation(), null, false);
        SpringAiHooks.exitRoundTrip(round, response(generation(text("Sunny in Paris."), "STOP"),
                generation(AssistantMessage.builder().content("").toolCalls(List.of(
                        new AssistantMessage.ToolCall("call_2", "function", "weather", "\"Lyon\""))).build(), "TOOL_CALLS")), null);

        InferenceCall call = observer.started(InferenceCall.class).get(0);
        assertEquals(List.of(
                "system[text(Be brief.)]",
                "user[text(Weather where these were taken?), uri(image, image/png, https://example.com/paris.png),"
                        + " blob(image, image/jpeg, 5 bytes), blob(document, application/pdf, 2 bytes)]",
                "assistant[tool_call(call_1, weather, \"Paris\")]",
                "tool[tool_call_response(call_1, \"sunny\")]"), MessageText.of(call.inputMessages));
        assertNull(call.systemInstructions, "Spring AI sends the system message as a message");
        assertEquals(1, call.toolDefinitions.size());
        assertEquals(List.of("function", "weather", "Weather in a city"), List.of(call.toolDefinitions.get(0).type,
                call.toolDefinitions.get(0).name, call.toolDefinitions.get(0).description));
        assertEquals(List.of("assistant[text(Sunny in Paris.)] stop", "assistant[tool_call(call_2, weather, \"Lyon\")] tool_calls"),
                MessageText.of(call.outputMessages));
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void aStreamsChunksAreAssembledPerGeneration() {
        Flux<ChatResponse> chunks = Flux.just(
                response(generation(text("Sun"), null)),
                response(generation(text("ny"), "")),
                response(generation(AssistantMessage.builder().content("").toolCalls(List.of(
                        new AssistantMessage.ToolCall("call_3", "function", "weather", "{\"city\":"))).build(), null)),
                response(generation(AssistantMessage.builder().content("").toolCalls(List.of(
                        new AssistantMessage.ToolCall("call_3", "function", "weather", "\"Paris\"}"))).build(), "TOOL_CALLS")));
        Flux<?> observed = (Flux<?>) SpringAiHooks.observeStream(MODEL, new Prompt("Weather in Paris?"), chunks);

        assertEquals(4, observed.collectList().block().size());

        InferenceCall call = observer.started(InferenceCall.class).get(0);
        assertEquals(List.of("user[text(Weather in Paris?)]"), MessageText.of(call.inputMessages));
        assertNull(call.toolDefinitions, "the prompt declares none");
        assertEquals(List.of("assistant[text(Sunny), tool_call(call_3, weather, {\"city\":\"Paris\"})] tool_calls"),
                MessageText.of(call.outputMessages));
    }

    @Test
    void aToolsResultIsTheTextItReturnedAndAFailingToolHasNone() {
        ToolCallback tool = weatherTool();
        ToolCall ok = SpringAiHooks.enterTool(tool, "\"Paris\"");
        // what ToolCallbackAdvice does around the callback's call
        SpringAiHooks.exitTool(ok, tool.call("\"Paris\"", new ToolContext(Map.of())), null);
        ToolCall failed = SpringAiHooks.enterTool(tool, "\"Atlantis\"");
        IllegalStateException error = new IllegalStateException("unknown city");
        SpringAiHooks.exitTool(failed, null, error);

        assertEquals("\"Paris\"", ok.arguments);
        assertEquals("\"sunny in Paris\"", ok.result);
        assertNull(observer.onlyEndOf(ok).error());
        assertNull(failed.result);
        assertSame(error, observer.onlyEndOf(failed).error());
    }

    @Test
    void withCaptureOffNothingIsCaptured() {
        LlmLens.captureContent(false);
        SpringAiHooks.exitRoundTrip(SpringAiHooks.enterRoundTrip(MODEL, conversation(), null, false),
                response(generation(text("Sunny."), "STOP")), null);
        ((Flux<?>) SpringAiHooks.observeStream(MODEL, new Prompt("hi"), Flux.just(response(generation(text("Hi"), "STOP")))))
                .blockLast();
        ToolCallback tool = weatherTool();
        ToolCall toolCall = SpringAiHooks.enterTool(tool, "\"Paris\"");
        SpringAiHooks.exitTool(toolCall, tool.call("\"Paris\"", new ToolContext(Map.of())), null);

        List<InferenceCall> calls = observer.started(InferenceCall.class);
        assertEquals(2, calls.size());
        for (InferenceCall call : calls) {
            assertNull(call.inputMessages);
            assertNull(call.toolDefinitions);
            assertEquals(List.of(), call.outputMessages);
            assertEquals(List.of("stop"), call.finishReasons);
        }
        assertNull(toolCall.result);
    }
}
