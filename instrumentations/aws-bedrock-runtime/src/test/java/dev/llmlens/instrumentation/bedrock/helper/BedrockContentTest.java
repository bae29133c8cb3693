package dev.llmlens.instrumentation.bedrock.helper;

import static dev.llmlens.instrumentation.bedrock.helper.ObservedEventStreamTest.chunk;
import static dev.llmlens.instrumentation.bedrock.helper.ObservedEventStreamTest.publisherOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;

/** Content capture on requests, responses and event streams built by the SDK's own builders. */
class BedrockContentTest {

    private static final String CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    /** The 8-byte PNG signature. */
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    @AfterEach
    void captureOff() {
        LlmLens.captureContent(false);
    }

    private static List<String> types(Message message) {
        return message.parts.stream().map(part -> part.type).toList();
    }

    /** A second turn: the user asked with an image, the model called a tool, the app answers with its result. */
    private static ConverseRequest secondTurn() {
        return ConverseRequest.builder().modelId("us.amazon.nova-pro-v1:0")
                .system(SystemContentBlock.fromText("You are terse."), SystemContentBlock.fromText("Answer in French."))
                .messages(
                        m -> m.role("user").content(ContentBlock.fromText("Weather here?"),
                                ContentBlock.fromImage(i -> i.format("png").source(s -> s.bytes(SdkBytes.fromByteArray(PNG_SIGNATURE))))),
                        m -> m.role("assistant").content(ContentBlock.fromToolUse(t -> t.toolUseId("tooluse_1").name("get_weather")
                                .input(Document.mapBuilder().putString("city", "Paris").build()))),
                        m -> m.role("user").content(ContentBlock.fromToolResult(r -> r.toolUseId("tooluse_1")
                                .content(ToolResultContentBlock.fromText("rainy, 14°C")))))
                .toolConfig(c -> c.tools(Tool.fromToolSpec(s -> s.name("get_weather").description("Current weather of a city")
                        .inputSchema(i -> i.json(Document.mapBuilder().putString("type", "object").build())))))
                .build();
    }

    @Test
    void converseRequestAndOutputMessage() {
        LlmLens.captureContent(true);
        InferenceCall call = BedrockHooks.enter(secondTurn(), null);
        BedrockHooks.exit(call, ConverseResponse.builder().stopReason("end_turn")
                .output(o -> o.message(m -> m.role("assistant").content(ContentBlock.fromText("Il pleut.")))).build(), null);

        assertEquals(List.of(), observer.failures);
        assertEquals(List.of("You are terse.", "Answer in French."), call.systemInstructions);
        List<Message> input = call.inputMessages;
        assertEquals(List.of("user", "assistant", "tool"), input.stream().map(message -> message.role).toList());
        assertEquals(List.of("text", "blob"), types(input.get(0)));
        Part image = input.get(0).parts.get(1);
        assertEquals(List.of("image", "image/png"), List.of(image.modality, image.mimeType));
        assertEquals(8, image.blobBytes, "the size only; the bytes stay in the app");
        Part toolCall = input.get(1).parts.get(0);
        assertEquals(List.of("tool_call", "tooluse_1", "get_weather", "{\"city\": \"Paris\"}"),
                List.of(toolCall.type, toolCall.id, toolCall.name, toolCall.arguments()), "the SDK's Document prints its JSON so");
        Part result = input.get(2).parts.get(0);
        assertEquals(List.of("tool_call_response", "tooluse_1", "rainy, 14°C"), List.of(result.type, result.id, result.response));

        ToolDefinition tool = call.toolDefinitions.get(0);
        assertEquals(1, call.toolDefinitions.size());
        assertEquals(List.of("function", "get_weather", "Current weather of a city", "{\"type\": \"object\"}"),
                List.of(tool.type, tool.name, tool.description, tool.parameters));

        Message output = call.outputMessages.get(0);
        assertEquals(1, call.outputMessages.size());
        assertEquals("assistant", output.role);
        assertEquals("end_turn", output.finishReason);
        assertEquals(List.of("text"), types(output));
        assertEquals("Il pleut.", output.parts.get(0).content());
    }

    @Test
    void converseStreamDeltasAreAssembled() throws Exception {
        LlmLens.captureContent(true);
        ConverseStreamResponseHandler app = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder().build()).build();
        InferenceCall call = BedrockHooks.enter(ConverseStreamRequest.builder().modelId("us.amazon.nova-pro-v1:0")
                .messages(m -> m.role("user").content(ContentBlock.fromText("Weather in Lyon?"))).build(), null);
        ConverseStreamResponseHandler observed = (ConverseStreamResponseHandler) BedrockHooks.observe(call, app);
        BedrockHooks.exit(call, new CompletableFuture<Void>(), null);

        observed.onEventStream(publisherOf(List.of(
                ConverseStreamOutput.messageStartBuilder().role("assistant").build(),
                ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0).delta(d -> d.text("Let me ")).build(),
                ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0).delta(d -> d.text("check.")).build(),
                ConverseStreamOutput.contentBlockStartBuilder().contentBlockIndex(1)
                        .start(s -> s.toolUse(t -> t.toolUseId("tooluse_2").name("get_weather"))).build(),
                ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(1)
                        .delta(d -> d.toolUse(t -> t.input("{\"city\":"))).build(),
                ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(1)
                        .delta(d -> d.toolUse(t -> t.input("\"Lyon\"}"))).build(),
                ConverseStreamOutput.messageStopBuilder().stopReason("tool_use").build())));
        observed.complete();

        assertEquals(List.of(), observer.failures);
        assertEquals("user", call.inputMessages.get(0).role);
        assertEquals("Weather in Lyon?", call.inputMessages.get(0).parts.get(0).content());
        assertNull(call.systemInstructions, "the request had no system blocks");
        Message output = call.outputMessages.get(0);
        assertEquals(List.of("text", "tool_call"), types(output));
        assertEquals("Let me check.", output.parts.get(0).content());
        assertEquals("tooluse_2", output.parts.get(1).id);
        assertEquals("get_weather", output.parts.get(1).name);
        assertEquals("{\"city\":\"Lyon\"}", output.parts.get(1).arguments());
        assertEquals("tool_use", output.finishReason);
    }

    private static final String ANTHROPIC_BODY = """
            {"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"system":"You are terse.",
             "messages":[{"role":"user","content":[{"type":"text","text":"Weather here?"},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
               {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"rainy"}]}],
             "tools":[{"name":"get_weather","description":"Current weather of a city","input_schema":{"type":"object"}}]}""";

    private static void assertAnthropicRequest(InferenceCall call) {
        assertEquals(List.of("You are terse."), call.systemInstructions);
        List<Message> input = call.inputMessages;
        assertEquals(List.of("user", "assistant", "tool"), input.stream().map(message -> message.role).toList());
        assertEquals(List.of("text", "blob"), types(input.get(0)));
        assertEquals(8, input.get(0).parts.get(1).blobBytes);
        assertEquals("{\"city\": \"Paris\"}", input.get(1).parts.get(0).arguments());
        assertEquals("rainy", input.get(2).parts.get(0).response);
        assertEquals("get_weather", call.toolDefinitions.get(0).name);
        assertEquals("function", call.toolDefinitions.get(0).type);
    }

    @Test
    void invokeModelWithAnAnthropicBody() {
        LlmLens.captureContent(true);
        InferenceCall call = BedrockHooks.enter(InvokeModelRequest.builder().modelId(CLAUDE)
                .body(SdkBytes.fromUtf8String(ANTHROPIC_BODY)).build(), null);
        BedrockHooks.exit(call, BedrockResponsesTest.response("""
                {"id":"msg_bdrk_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"thinking","thinking":"Rain.","signature":"s"},{"type":"text","text":"Il pleut."}],
                 "stop_reason":"end_turn","usage":{"input_tokens":20,"output_tokens":5}}""", Map.of()), null);

        assertEquals(List.of(), observer.failures);
        assertAnthropicRequest(call);
        Message output = call.outputMessages.get(0);
        assertEquals(List.of("reasoning", "text"), types(output));
        assertEquals("Il pleut.", output.parts.get(1).content());
        assertEquals("end_turn", output.finishReason);
    }

    @Test
    void invokeModelStreamWithAnAnthropicBody() {
        LlmLens.captureContent(true);
        InvokeModelWithResponseStreamResponseHandler app = InvokeModelWithResponseStreamResponseHandler.builder()
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder().build()).build();
        InferenceCall call = BedrockHooks.enter(InvokeModelWithResponseStreamRequest.builder().modelId(CLAUDE)
                .body(SdkBytes.fromUtf8String(ANTHROPIC_BODY)).build(), null);
        var observed = (InvokeModelWithResponseStreamResponseHandler) BedrockHooks.observe(call, app);
        BedrockHooks.exit(call, new CompletableFuture<Void>(), null);

        observed.onEventStream(publisherOf(List.of(
                chunk("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_2\",\"usage\":{\"input_tokens\":11,\"output_tokens\":1}}}"),
                chunk("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me \"}}"),
                chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"check.\"}}"),
                chunk("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_2\","
                        + "\"name\":\"get_weather\",\"input\":{}}}"),
                chunk("{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}"),
                chunk("{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Lyon\\\"}\"}}"),
                chunk("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}"),
                chunk("{\"type\":\"message_stop\"}"))));
        observed.complete();

        assertEquals(List.of(), observer.failures);
        assertAnthropicRequest(call);
        Message output = call.outputMessages.get(0);
        assertEquals(List.of("text", "tool_call"), types(output));
        assertEquals("Let me check.", output.parts.get(0).content());
        assertEquals("toolu_2", output.parts.get(1).id);
        assertEquals("{\"city\":\"Lyon\"}", output.parts.get(1).arguments());
        assertEquals("tool_use", output.finishReason);
    }

    @Test
    void promptFamiliesGiveThePromptAndTheCompletion() {
        LlmLens.captureContent(true);
        InferenceCall llama = BedrockHooks.enter(InvokeModelRequest.builder().modelId("meta.llama3-70b-instruct-v1:0")
                .body(SdkBytes.fromUtf8String("{\"prompt\":\"Say hi\",\"max_gen_len\":16}")).build(), null);
        BedrockHooks.exit(llama, BedrockResponsesTest.response(
                "{\"generation\":\"Hi!\",\"prompt_token_count\":3,\"generation_token_count\":2,\"stop_reason\":\"stop\"}", Map.of()), null);

        InvokeModelWithResponseStreamResponseHandler app = InvokeModelWithResponseStreamResponseHandler.builder()
                .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder().build()).build();
        InferenceCall titan = BedrockHooks.enter(InvokeModelWithResponseStreamRequest.builder().modelId("amazon.titan-text-express-v1")
                .body(SdkBytes.fromUtf8String("{\"inputText\":\"Say hello\"}")).build(), null);
        var observed = (InvokeModelWithResponseStreamResponseHandler) BedrockHooks.observe(titan, app);
        BedrockHooks.exit(titan, new CompletableFuture<Void>(), null);
        observed.onEventStream(publisherOf(List.of(
                chunk("{\"outputText\":\"Hel\",\"index\":0,\"totalOutputTextTokenCount\":1,\"completionReason\":null}"),
                chunk("{\"outputText\":\"lo\",\"index\":0,\"totalOutputTextTokenCount\":2,\"completionReason\":\"FINISH\"}"))));
        observed.complete();

        assertEquals(List.of(), observer.failures);
        assertEquals("Say hi", llama.inputMessages.get(0).parts.get(0).content());
        assertEquals("user", llama.inputMessages.get(0).role);
        assertEquals("Hi!", llama.outputMessages.get(0).parts.get(0).content());
        assertEquals("stop", llama.outputMessages.get(0).finishReason);
        assertEquals("Say hello", titan.inputMessages.get(0).parts.get(0).content());
        assertEquals(List.of("text"), types(titan.outputMessages.get(0)));
        assertEquals("Hello", titan.outputMessages.get(0).parts.get(0).content());
        assertEquals("FINISH", titan.outputMessages.get(0).finishReason);
    }

    @Test
    void nothingIsCapturedWhileCaptureIsOff() throws Exception {
        InferenceCall converse = BedrockHooks.enter(secondTurn(), null);
        BedrockHooks.exit(converse, ConverseResponse.builder().stopReason("end_turn")
                .output(o -> o.message(m -> m.role("assistant").content(ContentBlock.fromText("Il pleut.")))).build(), null);
        InferenceCall invoke = BedrockHooks.enter(InvokeModelRequest.builder().modelId(CLAUDE)
                .body(SdkBytes.fromUtf8String(ANTHROPIC_BODY)).build(), null);
        BedrockHooks.exit(invoke, BedrockResponsesTest.response("""
                {"id":"msg_bdrk_1","type":"message","content":[{"type":"text","text":"Il pleut."}],"stop_reason":"end_turn"}""",
                Map.of()), null);
        ConverseStreamResponseHandler app = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder().build()).build();
        InferenceCall streamed = BedrockHooks.enter(ConverseStreamRequest.builder().modelId("m")
                .messages(m -> m.role("user").content(ContentBlock.fromText("hi"))).build(), null);
        var observed = (ConverseStreamResponseHandler) BedrockHooks.observe(streamed, app);
        observed.onEventStream(publisherOf(List.of(
                ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0).delta(d -> d.text("Hi")).build(),
                ConverseStreamOutput.messageStopBuilder().stopReason("end_turn").build())));
        observed.complete();

        for (InferenceCall call : List.of(converse, invoke, streamed)) {
            assertEquals(List.of("end_turn"), call.finishReasons, "the call itself is still recorded");
            assertEquals(Arrays.asList(null, null, null, List.of()),
                    Arrays.asList(call.inputMessages, call.systemInstructions, call.toolDefinitions, call.outputMessages));
        }
    }
}
