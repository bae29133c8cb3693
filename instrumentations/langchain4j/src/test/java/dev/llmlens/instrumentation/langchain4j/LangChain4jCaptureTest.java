package dev.llmlens.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.bootstrap.ToolDefinition;
import dev.llmlens.instrumentation.testing.ContentCapture;
import dev.llmlens.instrumentation.testing.MessageText;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Content capture on the real langchain4j jars (oldest and newest line), against the local OpenAI mock. */
class LangChain4jCaptureTest extends WithMockApi {

    @RegisterExtension
    final ContentCapture capture = new ContentCapture();

    private OpenAiChatModel.OpenAiChatModelBuilder chatModel() {
        return chatModelBuilder("gpt-4o-mini");
    }

    private LangChain4jHooksTest.Assistant assistant(Object tools) {
        return AiServices.builder(LangChain4jHooksTest.Assistant.class).chatModel(chatModel().build()).tools(tools)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10)).build();
    }

    private static ToolSpecification addSpecification() {
        return ToolSpecification.builder().name("add").description("adds two numbers").build();
    }

    @Test
    void aSyncCallsWholeHistoryToolsAndAnswerAreCaptured() {
        ChatRequest request = ChatRequest.builder().messages(
                SystemMessage.from("Be brief."),
                UserMessage.from(TextContent.from("What is on these?"), ImageContent.from(URI.create("https://example.com/cat.png")),
                        ImageContent.from("aGVsbG8=", "image/png")),
                AiMessage.from(ToolExecutionRequest.builder().id("call_0").name("add").arguments("{\"a\":2,\"b\":3}").build()),
                ToolExecutionResultMessage.from("call_0", "add", "5"))
                .toolSpecifications(addSpecification()).build();

        ChatResponse response = chatModel().build().chat(request);

        assertEquals("The answer is 5.", response.aiMessage().text());
        InferenceCall call = observer.started(InferenceCall.class).get(0);
        assertEquals(List.of(
                "system[text(Be brief.)]",
                "user[text(What is on these?), uri(image, null, https://example.com/cat.png), blob(image, image/png, 5 bytes)]",
                "assistant[tool_call(call_0, add, {\"a\":2,\"b\":3})]",
                "tool[tool_call_response(call_0, 5)]"), MessageText.of(call.inputMessages));
        assertNull(call.systemInstructions, "langchain4j sends the system message as a message");
        assertEquals(1, call.toolDefinitions.size());
        ToolDefinition add = call.toolDefinitions.get(0);
        assertEquals(List.of("function", "add", "adds two numbers"), List.of(add.type, add.name, add.description));
        assertNull(add.parameters);
        assertEquals(List.of("assistant[text(The answer is 5.)] stop"), MessageText.of(call.outputMessages));
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void anAnswerAskingForAToolIsAToolCallPartWithItsArguments() {
        chatModel().build().chat(ChatRequest.builder().messages(UserMessage.from("What is 2+3?"))
                .toolSpecifications(addSpecification()).build());

        InferenceCall call = observer.started(InferenceCall.class).get(0);
        assertEquals(List.of("user[text(What is 2+3?)]"), MessageText.of(call.inputMessages));
        assertEquals(List.of("assistant[tool_call(call_1, add, {\"a\":2,\"b\":3})] tool_calls"), MessageText.of(call.outputMessages));
    }

    @Test
    void thinkingIsAReasoningPartOnTheLinesThatReturnIt() throws Exception {
        api.reasoning = "2 plus 3 is 5.";
        OpenAiChatModel.OpenAiChatModelBuilder builder = chatModel();
        boolean returnsThinking = LangChain4jHooksTest.HAS_TOOL_DISPATCHER;
        if (returnsThinking) {
            // returnThinking(Boolean) is not in 1.0, which these tests are compiled against
            builder.getClass().getMethod("returnThinking", Boolean.class).invoke(builder, true);
        }
        builder.build().chat("What is 2+3?");

        InferenceCall call = observer.started(InferenceCall.class).get(0);
        assertEquals(List.of(returnsThinking ? "assistant[reasoning(2 plus 3 is 5.), text(The answer is 5.)] stop"
                : "assistant[text(The answer is 5.)] stop"), MessageText.of(call.outputMessages));
    }

    /** The stream's answer is taken whole from the complete response langchain4j assembled from the deltas. */
    @Test
    void aStreamsAnswerIsTheAssembledResponse() throws Exception {
        CompletableFuture<ChatResponse> done = streamChat("Say hello", new StringBuilder());
        done.get(10, TimeUnit.SECONDS);

        InferenceCall call = observer.started(InferenceCall.class).get(0);
        observer.onlyEndOf(call);
        assertTrue(call.stream);
        assertEquals(List.of("user[text(Say hello)]"), MessageText.of(call.inputMessages));
        assertEquals(List.of("assistant[text(Hello)] stop"), MessageText.of(call.outputMessages));
    }

    @Test
    void anAiServicesToolLoopCarriesTheToolsResultIntoTheNextRound() {
        assistant(new LangChain4jHooksTest.Calculator()).chat("c", "What is 2+3?");

        List<InferenceCall> calls = observer.started(InferenceCall.class);
        assertEquals(List.of("add"), calls.get(0).toolDefinitions.stream().map(t -> t.name).toList());
        assertEquals(List.of("assistant[tool_call(call_1, add, {\"a\":2,\"b\":3})] tool_calls"),
                MessageText.of(calls.get(0).outputMessages));
        assertEquals(List.of("user[text(What is 2+3?)]", "assistant[tool_call(call_1, add, {\"a\":2,\"b\":3})]",
                "tool[tool_call_response(call_1, 5)]"), MessageText.of(calls.get(1).inputMessages));
        assertEquals(List.of("assistant[text(The answer is 5.)] stop"), MessageText.of(calls.get(1).outputMessages));
        List<ToolCall> tools = observer.started(ToolCall.class);
        assertTrue(!tools.isEmpty());
        for (ToolCall tool : tools) {
            // the dispatcher and the executor under it (folded into one span) both saw the result
            assertEquals("{\"a\":2,\"b\":3}", tool.arguments);
            assertEquals("5", tool.result);
        }
    }

    @Test
    void aToolThatThrowsHasNoResultButItsError() {
        assistant(new LangChain4jHooksTest.BrokenCalculator()).chat("c", "What is 2+3?");

        ToolCall tool = observer.started(ToolCall.class).get(0);
        assertNull(tool.result, "langchain4j's error text is no result of the tool");
        assertInstanceOf(IllegalStateException.class, observer.onlyEndOf(tool).error());
        Message told = observer.started(InferenceCall.class).get(1).inputMessages.get(2);
        assertEquals("tool", told.role);
        assertTrue(told.parts.get(0).response.contains("calculator is down"), "what the model was told is in the input");
    }

    @Test
    void withCaptureOffNothingIsCaptured() {
        LlmLens.captureContent(false);
        assistant(new LangChain4jHooksTest.Calculator()).chat("c", "What is 2+3?");

        List<InferenceCall> calls = observer.started(InferenceCall.class);
        assertEquals(2, calls.size());
        for (InferenceCall call : calls) {
            assertNull(call.inputMessages);
            assertNull(call.toolDefinitions);
            assertEquals(List.of(), call.outputMessages);
            assertEquals(1, call.finishReasons.size(), "the rest is recorded as ever");
        }
        for (ToolCall tool : observer.started(ToolCall.class)) {
            assertNull(tool.result);
        }
    }
}
