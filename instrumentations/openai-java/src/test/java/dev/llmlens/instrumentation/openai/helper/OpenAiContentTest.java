package dev.llmlens.instrumentation.openai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.ClientOptions;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionTool;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.Tool;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Prompts, answers and tool definitions read from real SDK objects, only while content capture is on. */
class OpenAiContentTest {

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    private static final ClientOptions OPENAI = Sdk.options("https://api.openai.com/v1").build();
    /** 12 bytes, base64: "aGVsbG8gd29ybGQh" ("hello world!"). */
    private static final String PNG_DATA_URL = "data:image/png;base64,aGVsbG8gd29ybGQh";

    @AfterEach
    void captureOff() {
        LlmLens.captureContent(false);
        assertTrue(observer.failures.isEmpty(), () -> "instrumentation errors: " + observer.failures);
    }

    private static ChatCompletionMessageParam message(String json) {
        return Sdk.parse(json, ChatCompletionMessageParam.class);
    }

    private static ChatCompletionCreateParams chatRequest() {
        return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
                .messages(List.of(
                        message("{\"role\":\"system\",\"content\":\"Be brief.\"}"),
                        message("{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"Use metric units.\"}]}"),
                        message("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + PNG_DATA_URL + "\"}},"
                                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.jpg\"}},"
                                + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAAA\",\"format\":\"wav\"}},"
                                + "{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc\"}}]}"),
                        message("{\"role\":\"assistant\",\"content\":\"Let me check.\",\"tool_calls\":[{\"id\":\"call_1\","
                                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}"),
                        message("{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"rainy, 14 C\"}")))
                .tools(List.of(Sdk.parse("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                        + "\"description\":\"Weather for a city\",\"parameters\":{\"type\":\"object\","
                        + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}", ChatCompletionTool.class)))
                .build();
    }

    @Test
    void chatRequestCapturesEveryMessageKindAndTheTools() {
        LlmLens.captureContent(true);
        InferenceCall call = OpenAiRequests.toCall(chatRequest(), OPENAI, false);

        assertEquals(List.of(
                "system: text(Be brief.)",
                "developer: text(Use metric units.)",
                "user: text(What is this?) | blob(image image/png 12) | uri(image https://example.com/cat.jpg)"
                        + " | blob(audio audio/wav 3) | file(document file-abc)",
                "assistant: text(Let me check.) | tool_call(call_1 get_weather {\"city\":\"Paris\"})",
                "tool: tool_call_response(call_1 rainy, 14 C)"), show(call.inputMessages));
        assertNull(call.systemInstructions, "chat sends system text as messages: it stays there");
        ToolDefinition tool = call.toolDefinitions.get(0);
        assertEquals(List.of("function get_weather Weather for a city"),
                List.of(tool.type + " " + tool.name + " " + tool.description));
        assertEquals("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}", tool.parameters);
        assertTrue(call.outputMessages.isEmpty());
    }

    @Test
    void nothingIsReadWhileCaptureIsOff() {
        InferenceCall chat = OpenAiRequests.toCall(chatRequest(), OPENAI, false);
        OpenAiResponses.onResponse(chat, chatCompletionWithToolCalls());
        assertNull(chat.inputMessages);
        assertNull(chat.toolDefinitions);
        assertTrue(chat.outputMessages.isEmpty());
        assertEquals(List.of("tool_calls", "content_filter"), chat.finishReasons, "the rest is read as before");

        InferenceCall streamed = OpenAiRequests.toCall(chatRequest(), OPENAI, true);
        streamChunks().forEach(chunk -> OpenAiResponses.onChunk(streamed, chunk));
        assertTrue(streamed.outputMessages.isEmpty());

        InferenceCall responses = OpenAiRequests.toCall(responsesRequest(), OPENAI, false);
        OpenAiResponses.onResponse(responses, Sdk.response(RESPONSE_OUTPUT));
        assertNull(responses.inputMessages);
        assertNull(responses.systemInstructions);
        assertTrue(responses.outputMessages.isEmpty());
    }

    @Test
    void embeddingsCarryNoContent() {
        LlmLens.captureContent(true);
        InferenceCall call = OpenAiRequests.toCall(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("secret text").build(), OPENAI, false);
        assertNull(call.inputMessages);
    }

    private static ChatCompletion chatCompletionWithToolCalls() {
        return Sdk.parse("""
                {"id":"chatcmpl-2","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[
                   {"index":0,"message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[
                     {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                     {"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
                    "logprobs":null,"finish_reason":"tool_calls"},
                   {"index":1,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},
                    "logprobs":null,"finish_reason":"content_filter"}]}
                """, ChatCompletion.class);
    }

    @Test
    void chatAnswerIsOneMessagePerChoiceWithItsFinishReason() {
        LlmLens.captureContent(true);
        InferenceCall call = OpenAiRequests.toCall(chatRequest(), OPENAI, false);
        OpenAiResponses.onResponse(call, chatCompletionWithToolCalls());
        assertEquals(List.of(
                "assistant: tool_call(call_a get_weather {\"city\":\"Paris\"}) | tool_call(call_b get_time {}) [tool_calls]",
                "assistant: refusal(I can't help with that.) [content_filter]"), show(call.outputMessages));

        InferenceCall plain = OpenAiRequests.toCall(chatRequest(), OPENAI, false);
        OpenAiResponses.onResponse(plain, Sdk.chatCompletion());
        assertEquals(List.of("assistant: text(a) [stop]", "assistant: text(b) [length]", "assistant: text(c) [stop]"),
                show(plain.outputMessages));
    }

    private static List<ChatCompletionChunk> streamChunks() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        for (String choices : List.of(
                "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}",
                "{\"index\":0,\"delta\":{\"content\":\"Checking \"},\"finish_reason\":null}",
                "{\"index\":0,\"delta\":{\"content\":\"both.\"},\"finish_reason\":null}",
                "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}",
                "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_time\",\"arguments\":\"{\\\"tz\\\":\"}}]},\"finish_reason\":null}",
                "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}",
                "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"UTC\\\"}\"}}]},\"finish_reason\":null}",
                "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}",
                "{\"index\":1,\"delta\":{\"refusal\":\"No\"},\"finish_reason\":null}",
                "{\"index\":1,\"delta\":{\"refusal\":\"pe.\"},\"finish_reason\":\"stop\"}",
                "{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}")) {
            chunks.add(Sdk.parse("{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[" + choices + "]}", ChatCompletionChunk.class));
        }
        return chunks;
    }

    @Test
    void aStreamedAnswerIsAssembledFromItsDeltasIncludingInterleavedToolCalls() {
        LlmLens.captureContent(true);
        InferenceCall call = OpenAiRequests.toCall(chatRequest(), OPENAI, true);
        var source = new FakeStreamResponse<>(streamChunks());
        try (var observed = new ObservedStream<>(source, call)) {
            assertEquals(11, observed.stream().count());
        }
        observer.onlyEndOf(call);
        assertEquals(List.of(
                "assistant: text(Checking both.) | tool_call(call_a get_weather {\"city\":\"Paris\"})"
                        + " | tool_call(call_b get_time {\"tz\":\"UTC\"}) [tool_calls]",
                "assistant: refusal(Nope.) [stop]"), show(call.outputMessages));
    }

    // --- Responses API

    private static ResponseCreateParams responsesRequest() {
        List<ResponseInputItem> items = new ArrayList<>();
        for (String item : List.of(
                "{\"type\":\"message\",\"role\":\"user\",\"content\":\"Weather in Paris?\"}",
                "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"And this?\"},"
                        + "{\"type\":\"input_image\",\"detail\":\"auto\",\"image_url\":\"" + PNG_DATA_URL + "\"},"
                        + "{\"type\":\"input_file\",\"file_id\":\"file-xyz\"}]}",
                "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}",
                "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"{\\\"temp\\\":14}\"}",
                "{\"type\":\"item_reference\",\"id\":\"msg_old\"}")) {
            items.add(Sdk.parse(item, ResponseInputItem.class));
        }
        return ResponseCreateParams.builder().model("gpt-4.1").instructions("Answer in French.").inputOfResponse(items)
                .tools(List.of(
                        Sdk.parse("{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Weather\","
                                + "\"parameters\":{\"type\":\"object\"},\"strict\":true}", Tool.class),
                        Sdk.parse("{\"type\":\"web_search_preview\"}", Tool.class)))
                .build();
    }

    static final String RESPONSE_OUTPUT = """
            "status":"completed","output":[
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"User wants weather."}]},
              {"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[
                {"type":"output_text","text":"Il pleut.","annotations":[]}]},
              {"type":"function_call","id":"fc_1","call_id":"call_2","name":"get_time","arguments":"{}","status":"completed"}]""";

    @Test
    void responsesRequestCapturesInstructionsItemsAndTools() {
        LlmLens.captureContent(true);
        InferenceCall call = OpenAiRequests.toCall(responsesRequest(), OPENAI, false);
        assertEquals(List.of("Answer in French."), call.systemInstructions);
        assertEquals(List.of(
                "user: text(Weather in Paris?)",
                "user: text(And this?) | blob(image image/png 12) | file(document file-xyz)",
                "assistant: tool_call(call_1 get_weather {\"city\":\"Paris\"})",
                "tool: tool_call_response(call_1 {\"temp\":14})"), show(call.inputMessages));
        assertEquals(List.of("function get_weather Weather {\"type\":\"object\"}", "web_search_preview web_search_preview null null"),
                call.toolDefinitions.stream().map(t -> t.type + " " + t.name + " " + t.description + " " + t.parameters).toList());

        InferenceCall text = OpenAiRequests.toCall(ResponseCreateParams.builder().model("gpt-4.1").input("hi").build(),
                OPENAI, false);
        assertEquals(List.of("user: text(hi)"), show(text.inputMessages));
    }

    @Test
    void responsesOutputIsOneMessageWithReasoningTextAndToolCalls() {
        LlmLens.captureContent(true);
        InferenceCall call = OpenAiRequests.toCall(responsesRequest(), OPENAI, false);
        OpenAiResponses.onResponse(call, Sdk.response(RESPONSE_OUTPUT));
        assertEquals(List.of("assistant: reasoning(User wants weather.) | text(Il pleut.) | tool_call(call_2 get_time {}) [completed]"),
                show(call.outputMessages));
    }

    @Test
    void aStreamedResponseTakesItsOutputFromTheCompletedEvent() {
        LlmLens.captureContent(true);
        InferenceCall call = OpenAiRequests.toCall(responsesRequest(), OPENAI, true);
        OpenAiResponses.onChunk(call, Sdk.event("response.created", 0, "\"response\":" + Sdk.responseJson("\"status\":\"in_progress\"")));
        assertTrue(call.outputMessages.isEmpty());
        OpenAiResponses.onChunk(call, Sdk.event("response.completed", 9, "\"response\":" + Sdk.responseJson(RESPONSE_OUTPUT)));
        OpenAiResponses.onChunk(call, Sdk.event("response.completed", 10, "\"response\":" + Sdk.responseJson(RESPONSE_OUTPUT)));
        assertEquals(List.of("assistant: reasoning(User wants weather.) | text(Il pleut.) | tool_call(call_2 get_time {}) [completed]"),
                show(call.outputMessages), "a repeated event replaces, never doubles");
    }

    @Test
    void inlineDataIsMeasuredNotCopied() {
        assertEquals(12, OpenAiContent.dataBytes(PNG_DATA_URL));
        assertEquals(11, OpenAiContent.dataBytes("aGVsbG8gd29ybGQ="));
        assertEquals(10, OpenAiContent.dataBytes("aGVsbG8gd29ybA=="));
        assertEquals(5, OpenAiContent.dataBytes("data:text/plain,hello"));
        assertFalse(show(List.of(new Message("user").add(Part.blob("image", "image/png", 12)))).get(0).contains("aGVs"));
    }

    /** One line per message: role, then each part as type(fields), then [finish reason]. */
    static List<String> show(List<Message> messages) {
        return messages.stream().map(message -> message.role + ": "
                + message.parts.stream().map(OpenAiContentTest::show).collect(Collectors.joining(" | "))
                + (message.finishReason == null ? "" : " [" + message.finishReason + "]")).toList();
    }

    private static String show(Part part) {
        String fields = switch (part.type) {
            case Part.TOOL_CALL -> part.id + " " + part.name + " " + part.arguments();
            case Part.TOOL_CALL_RESPONSE -> part.id + " " + part.response;
            case Part.BLOB -> part.modality + " " + part.mimeType + " " + part.blobBytes;
            case Part.URI -> part.modality + " " + part.uri;
            case Part.FILE -> part.modality + " " + part.fileId;
            default -> part.content();
        };
        return part.type + "(" + fields + ")";
    }
}
