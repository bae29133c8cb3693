package dev.llmlens.instrumentation.anthropic.helper;

import static dev.llmlens.instrumentation.anthropic.helper.CannedApi.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.JsonValue;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.beta.messages.BetaRawMessageStreamEvent;
import com.anthropic.models.beta.messages.BetaToolResultBlockParam;
import com.anthropic.models.beta.messages.BetaToolUseBlockParam;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.WebSearchTool20250305;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.bootstrap.ToolDefinition;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Content capture on real SDK requests, responses and streams (plain and beta, blocking and async). */
class AnthropicContentTest {

    /** "\x89PNG\r\n\x1a\n": 12 base64 characters, 8 bytes. */
    private static final String PNG_SIGNATURE = "iVBORw0KGgo=";
    private static final String TOOL_USE_RESPONSE = """
            {"id":"msg_c1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"thinking","thinking":"Paris is in France.","signature":"sig"},
                        {"type":"text","text":"Let me check."},
                        {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":20,"output_tokens":15}}
            """;

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();
    private static CannedApi api;

    @BeforeAll
    static void startApi() throws Exception {
        api = new CannedApi();
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    @AfterEach
    void captureOff() {
        LlmLens.captureContent(false);
    }

    /**
     * A second turn: the user asked with an image, the model called a tool, the app answers with its
     * result. Messages are built from their wire form: the typed builders differ between 2.x and 3.x.
     */
    private static MessageCreateParams secondTurn() {
        Map<String, Object> photo = Map.of("type", "image",
                "source", Map.of("type", "base64", "media_type", "image/png", "data", PNG_SIGNATURE));
        Map<String, Object> map = Map.of("type", "image", "source", Map.of("type", "url", "url", "https://example.com/map.png"));
        Map<String, Object> thought = Map.of("type", "thinking", "thinking", "The photo shows Paris.", "signature", "sig");
        Map<String, Object> toolUse = Map.of("type", "tool_use", "id", "toolu_1", "name", "get_weather",
                "input", Map.of("city", "Paris"));
        Map<String, Object> toolResult = Map.of("type", "tool_result", "tool_use_id", "toolu_1", "content", "rainy, 14°C");
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256)
                .systemOfTextBlockParams(List.of(TextBlockParam.builder().text("You are terse.").build(),
                        TextBlockParam.builder().text("Answer in French.").build()))
                .addMessage(message("user", List.of(Map.of("type", "text", "text", "Weather here?"), photo, map)))
                .addMessage(message("assistant", List.of(thought, toolUse)))
                .addMessage(message("user", List.of(toolResult)))
                .addTool(Tool.builder().name("get_weather").description("Current weather of a city")
                        .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build())
                        .build())
                .addTool(WebSearchTool20250305.builder().build())
                .build();
    }

    private static MessageParam message(String role, List<Map<String, Object>> blocks) {
        return JsonValue.from(Map.of("role", role, "content", blocks)).convert(MessageParam.class);
    }

    private InferenceCall onlyCall() {
        List<InferenceCall> calls = observer.started(InferenceCall.class);
        assertEquals(1, calls.size(), "instrumentation failures: " + observer.failures);
        assertTrue(observer.failures.isEmpty(), "instrumentation failures: " + observer.failures);
        return calls.get(0);
    }

    @Test
    void requestAndResponseAreCapturedBlockByBlock() throws Exception {
        LlmLens.captureContent(true);
        api.json(200, TOOL_USE_RESPONSE);
        MessageCreateParams params = secondTurn();

        AnthropicHooksTest.hooked(params, api.client.messages(), "create", () -> api.client.messages().create(params));

        InferenceCall call = onlyCall();
        assertEquals(List.of("You are terse.", "Answer in French."), call.systemInstructions);
        List<Message> input = call.inputMessages;
        assertEquals(List.of("user", "assistant", "tool"), input.stream().map(message -> message.role).toList());

        List<Part> asked = input.get(0).parts;
        assertEquals(List.of("text", "blob", "uri"), asked.stream().map(part -> part.type).toList());
        assertEquals("Weather here?", asked.get(0).content());
        assertEquals(List.of("image", "image/png"), List.of(asked.get(1).modality, asked.get(1).mimeType));
        assertEquals(8, asked.get(1).blobBytes, "the decoded size; the bytes stay in the app");
        assertEquals("https://example.com/map.png", asked.get(2).uri);

        List<Part> answered = input.get(1).parts;
        assertEquals(List.of("reasoning", "tool_call"), answered.stream().map(part -> part.type).toList());
        assertEquals("The photo shows Paris.", answered.get(0).content());
        assertToolCall(answered.get(1), "toolu_1");

        Part result = input.get(2).parts.get(0);
        assertEquals(List.of("tool_call_response", "toolu_1", "rainy, 14°C"), List.of(result.type, result.id, result.response));

        List<ToolDefinition> tools = call.toolDefinitions;
        assertEquals(2, tools.size());
        assertEquals(List.of("function", "get_weather", "Current weather of a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"),
                List.of(tools.get(0).type, tools.get(0).name, tools.get(0).description, tools.get(0).parameters));
        assertEquals(List.of("web_search_20250305", "web_search"), List.of(tools.get(1).type, tools.get(1).name));

        assertToolUseAnswer(call);
    }

    /** What TOOL_USE_RESPONSE says, as a response or assembled from a stream. */
    private static void assertToolUseAnswer(InferenceCall call) {
        assertEquals(1, call.outputMessages.size());
        Message output = call.outputMessages.get(0);
        assertEquals("assistant", output.role);
        assertEquals("tool_use", output.finishReason);
        assertEquals(List.of("reasoning", "text", "tool_call"), output.parts.stream().map(part -> part.type).toList());
        assertEquals("Paris is in France.", output.parts.get(0).content());
        assertEquals("Let me check.", output.parts.get(1).content());
        assertToolCall(output.parts.get(2), "toolu_2");
    }

    private static void assertToolCall(Part part, String id) {
        assertEquals("tool_call", part.type);
        assertEquals(id, part.id);
        assertEquals("get_weather", part.name);
        assertEquals("{\"city\":\"Paris\"}", part.arguments());
    }

    /** TOOL_USE_RESPONSE as the API streams it: each block opened, grown by deltas, closed. */
    private static List<String> toolUseStream() {
        return List.of(
                event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_c2\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
                        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Paris is\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\" in France.\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\" check.\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,"
                        + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"get_weather\",\"input\":{}}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}"),
                event("message_stop", "{\"type\":\"message_stop\"}"));
    }

    @Test
    void streamIsAssembledIntoTheSameOutputAsTheWholeResponse() throws Exception {
        LlmLens.captureContent(true);
        api.sse(toolUseStream(), false);
        MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256)
                .system("You are terse.").addUserMessage("Weather in Paris?").build();

        @SuppressWarnings("unchecked")
        StreamResponse<RawMessageStreamEvent> stream = (StreamResponse<RawMessageStreamEvent>) AnthropicHooksTest.hooked(
                params, api.client.messages(), "createStreaming", () -> api.client.messages().createStreaming(params));
        long events;
        try (stream) {
            events = stream.stream().count();
        }

        assertEquals(16, events, "the app sees every event");
        InferenceCall call = onlyCall();
        assertNull(observer.onlyEndOf(call).error());
        assertEquals(List.of("You are terse."), call.systemInstructions);
        assertEquals(1, call.inputMessages.size());
        assertEquals("user", call.inputMessages.get(0).role);
        assertEquals("Weather in Paris?", call.inputMessages.get(0).parts.get(0).content());
        assertNull(call.toolDefinitions, "the request offered no tools");
        assertToolUseAnswer(call);
    }

    @Test
    void betaAsyncStreamIsAssembledToo() throws Exception {
        LlmLens.captureContent(true);
        api.sse(toolUseStream(), false);
        var params = com.anthropic.models.beta.messages.MessageCreateParams.builder().model("claude-sonnet-4-5")
                .maxTokens(256).addUserMessage("Weather in Paris?").build();

        @SuppressWarnings("unchecked")
        AsyncStreamResponse<BetaRawMessageStreamEvent> stream = (AsyncStreamResponse<BetaRawMessageStreamEvent>)
                AnthropicHooksTest.hooked(params, api.asyncClient.beta().messages(), "createStreaming",
                        () -> api.asyncClient.beta().messages().createStreaming(params));
        stream.subscribe(event -> { });
        stream.onCompleteFuture().join();

        InferenceCall call = onlyCall();
        assertNull(observer.onlyEndOf(call).error());
        assertEquals("Weather in Paris?", call.inputMessages.get(0).parts.get(0).content());
        assertNull(call.systemInstructions);
        assertToolUseAnswer(call);
    }

    @Test
    void toolRunnersToolCallsCarryArgumentsAndResult() {
        LlmLens.captureContent(true);
        BetaToolUseBlockParam toolUse = BetaToolUseBlockParam.builder().id("toolu_9").name("get_weather")
                .input(BetaToolUseBlockParam.Input.builder().putAdditionalProperty("city", JsonValue.from("Paris \"centre\"\n"))
                        .putAdditionalProperty("days", JsonValue.from(List.of(1, 2.5, true))).build())
                .build();

        ToolCall tool = ToolRunnerHooks.toolStarting(toolUse, Map.of("get_weather", "the tool"));
        ToolRunnerHooks.toolFinished(tool,
                BetaToolResultBlockParam.builder().toolUseId("toolu_9").content("rainy, 14°C").build(), null);

        assertEquals("{\"city\":\"Paris \\\"centre\\\"\\n\",\"days\":[1,2.5,true]}", tool.arguments,
                "JSON text, quotes and control characters escaped");
        assertEquals("rainy, 14°C", tool.result);
    }

    @Test
    void nothingIsCapturedWhileCaptureIsOff() throws Exception {
        api.json(200, TOOL_USE_RESPONSE).sse(toolUseStream(), false);
        MessageCreateParams params = secondTurn();

        AnthropicHooksTest.hooked(params, api.client.messages(), "create", () -> api.client.messages().create(params));
        @SuppressWarnings("unchecked")
        StreamResponse<RawMessageStreamEvent> stream = (StreamResponse<RawMessageStreamEvent>) AnthropicHooksTest.hooked(
                params, api.client.messages(), "createStreaming", () -> api.client.messages().createStreaming(params));
        try (stream) {
            stream.stream().forEach(event -> { });
        }
        BetaToolUseBlockParam toolUse = BetaToolUseBlockParam.builder().id("toolu_9").name("get_weather")
                .input(BetaToolUseBlockParam.Input.builder().build()).build();
        ToolCall tool = ToolRunnerHooks.toolStarting(toolUse, Map.of("get_weather", "the tool"));
        ToolRunnerHooks.toolFinished(tool, BetaToolResultBlockParam.builder().toolUseId("toolu_9").content("rainy").build(), null);

        List<InferenceCall> calls = observer.started(InferenceCall.class);
        assertEquals(2, calls.size());
        for (InferenceCall call : calls) {
            assertEquals(List.of("tool_use"), call.finishReasons, "the call itself is still recorded");
            assertEquals(Arrays.asList(null, null, null, List.of()),
                    Arrays.asList(call.inputMessages, call.systemInstructions, call.toolDefinitions, call.outputMessages));
        }
        assertNull(tool.arguments);
        assertNull(tool.result);
    }
}
