package dev.llmlens.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.Operation;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hooks applied to the real langchain4j jars (the oldest supported line, and in a second run the
 * newest), with real OpenAI models talking to a local mock of the API.
 */
class LangChain4jHooksTest extends WithMockApi {

    static final String VERSION = System.getProperty("langchain4j.expected.version");
    /** ToolService.executeWithErrorHandling, the dispatcher that also runs lambda executors, is not in 1.0. */
    static final boolean HAS_TOOL_DISPATCHER = !VERSION.startsWith("1.0.");

    private OpenAiChatModel chatModel(String model) {
        return chatModelBuilder(model).build();
    }

    interface Assistant {
        String chat(@MemoryId String conversation, @UserMessage String message);
    }

    interface Oracle {
        String ask(String question);
    }

    static class Calculator {
        int calls;

        @Tool("adds two numbers")
        public int add(int a, int b) {
            calls++;
            return a + b;
        }
    }

    static class BrokenCalculator {
        @Tool("adds two numbers")
        public int add(int a, int b) {
            throw new IllegalStateException("calculator is down");
        }
    }

    @Test
    void versionOnTheClassPathIsTheOneThisRunIsFor() {
        String jar = OpenAiChatModel.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        String core = dev.langchain4j.model.chat.ChatModel.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        assertTrue(jar.endsWith("langchain4j-open-ai-" + VERSION + ".jar"), jar);
        assertTrue(core.endsWith("langchain4j-core-" + VERSION + ".jar"), core);
    }

    @Test
    void plainChatIsOneFrameworkLevelCallWithTheProvidersUsage() {
        String answer = chatModel("gpt-4o-mini").chat("What is 2+3?");

        assertEquals("The answer is 5.", answer);
        assertEquals(1, observer.started.size(), "one model call, no run around it");
        InferenceCall call = assertInstanceOf(InferenceCall.class, observer.started.get(0));
        assertTrue(call.frameworkLevel);
        assertEquals("openai", call.provider);
        assertEquals("chat", call.operation);
        assertEquals("gpt-4o-mini", call.requestModel);
        assertEquals("gpt-4o-mini-2024-07-18", call.responseModel);
        assertEquals("chatcmpl-1", call.responseId);
        assertEquals("127.0.0.1", call.serverAddress);
        assertEquals(api.port(), call.serverPort);
        assertFalse(call.stream);
        assertEquals(List.of("stop"), call.finishReasons);
        assertEquals(20, call.inputTokens);
        assertEquals(7, call.outputTokens);
        assertEquals(4, call.cacheReadTokens, "OpenAiTokenUsage's cached tokens");
        assertEquals(2, call.reasoningTokens, "OpenAiTokenUsage's reasoning tokens");
        assertNull(observer.onlyEndOf(call).error());
        assertFalse(observer.isCurrent(call), "left when chat returned");
    }

    @Test
    void requestParametersAreTheMergedOnes() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(api.baseUrl()).apiKey("test").modelName("gpt-4o-mini")
                .temperature(0.25).topP(0.5).maxTokens(64).maxRetries(0).build();
        model.chat("hi");

        InferenceCall call = observer.started(InferenceCall.class).get(0);
        assertEquals(0.25, call.temperature);
        assertEquals(0.5, call.topP);
        assertEquals(64L, call.maxTokens);
    }

    @Test
    void failedChatEndsWithTheErrorTheAppSees() {
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> chatModel("broken").chat("hi"));

        InferenceCall call = observer.started(InferenceCall.class).get(0);
        assertEquals("broken", call.requestModel);
        assertSame(thrown, observer.onlyEndOf(call).error());
        assertFalse(observer.isCurrent(call));
    }

    @Test
    void streamingChatEndsWhenTheHandlerCompletesWithTheFinalUsage() throws Exception {
        StringBuilder text = new StringBuilder();
        CompletableFuture<ChatResponse> done = streamChat("Say hello", text);
        InferenceCall call = observer.started(InferenceCall.class).get(0);
        assertFalse(observer.isCurrent(call), "the calling thread left the call when chat returned");

        done.get(10, TimeUnit.SECONDS);
        assertEquals("Hello", text.toString());
        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertNull(end.error());
        assertTrue(call.stream);
        assertTrue(call.firstChunkNanos > call.startNanos, "first chunk seen");
        assertEquals("chatcmpl-s1", call.responseId);
        assertEquals(20, call.inputTokens);
        assertEquals(7, call.outputTokens);
        assertEquals(1, observer.started.size());
    }

    @Test
    void aiServiceCallIsOneRunWithItsRoundTripsAndToolInside() {
        Calculator calculator = new Calculator();
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(chatModel("gpt-4o-mini")).tools(calculator)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10)).build();

        String answer = assistant.chat("conversation-7", "What is 2+3?");

        assertEquals("The answer is 5.", answer);
        assertEquals(1, calculator.calls);
        List<AgentRun> runs = observer.started(AgentRun.class);
        assertEquals(1, runs.size());
        AgentRun run = runs.get(0);
        assertEquals("Assistant", run.agentName);
        assertEquals(Assistant.class.getName() + ".chat", run.agentMethod);
        assertEquals("conversation-7", run.conversationId);
        List<InferenceCall> calls = observer.started(InferenceCall.class);
        assertEquals(2, calls.size(), "one per HTTP round trip");
        assertEquals(2, api.requests.size());
        List<ToolCall> tools = toolSpans();
        assertEquals(1, tools.size());
        ToolCall tool = tools.get(0);
        assertEquals("add", tool.toolName);
        assertEquals("call_1", tool.toolCallId);
        assertEquals("{\"a\":2,\"b\":3}", tool.arguments);
        for (Operation child : List.of(calls.get(0), tool, calls.get(1))) {
            assertSame(run, observer.parentOf(child));
        }
        assertEquals(List.of("tool_calls"), calls.get(0).finishReasons);
        assertTrue(observer.started.indexOf(calls.get(0)) < observer.started.indexOf(tool)
                && observer.started.indexOf(tool) < observer.started.indexOf(calls.get(1)));
        assertNull(observer.onlyEndOf(tool).error());
        assertNull(observer.onlyEndOf(tool).errorType());
        assertNull(observer.onlyEndOf(run).error());
        assertFalse(observer.isCurrent(run));
    }

    @Test
    void aiServiceWithoutMemoryIdHasNoConversation() {
        Oracle oracle = AiServices.builder(Oracle.class).chatModel(chatModel("gpt-4o-mini")).build();

        oracle.ask("Anything?");

        AgentRun run = observer.started(AgentRun.class).get(0);
        assertEquals("Oracle", run.agentName);
        assertNull(run.conversationId);
        assertEquals(1, observer.started(InferenceCall.class).size());
    }

    @Test
    void toolThatThrowsIsAnErrorWhileTheRunGoesOn() {
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(chatModel("gpt-4o-mini"))
                .tools(new BrokenCalculator()).chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10)).build();

        assistant.chat("c", "What is 2+3?");

        ToolCall tool = toolSpans().get(0);
        Throwable error = observer.onlyEndOf(tool).error();
        assertInstanceOf(IllegalStateException.class, error);
        assertEquals("calculator is down", error.getMessage());
        assertTrue(api.requests.get(1).contains("calculator is down"), "the model was told");
        assertNull(observer.onlyEndOf(observer.started(AgentRun.class).get(0)).error());
    }

    @Test
    void lambdaToolExecutorIsTracedWhereTheDispatcherExists() {
        ToolSpecification explode = ToolSpecification.builder().name("explode").description("fails").build();
        ToolExecutor executor = (request, memoryId) -> {
            throw new UnsupportedOperationException("no explosions today");
        };
        api.toolName = "explode";
        api.toolArguments = "{}";
        Oracle oracle = AiServices.builder(Oracle.class).chatModel(chatModel("gpt-4o-mini"))
                .tools(Map.of(explode, executor)).build();

        if (HAS_TOOL_DISPATCHER) {
            oracle.ask("Explode");
            ToolCall tool = toolSpans().get(0);
            assertEquals("explode", tool.toolName);
            assertInstanceOf(UnsupportedOperationException.class, observer.onlyEndOf(tool).error());
            assertSame(observer.started(AgentRun.class).get(0), observer.parentOf(tool));
        } else {
            // 1.0 calls a lambda executor directly from its loop and lets the exception end the service call:
            // the run records it, no tool span can
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> oracle.ask("Explode"));
            assertTrue(toolSpans().isEmpty());
            assertSame(thrown, observer.onlyEndOf(observer.started(AgentRun.class).get(0)).error());
        }
    }

    @Test
    void toolArgumentsTheToolCannotTakeAreAnError() {
        api.toolArguments = "{\"a\":\"two\",\"b\":3}";
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(chatModel("gpt-4o-mini"))
                .tools(new Calculator()).chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10)).build();

        Throwable appSaw = null;
        try {
            assistant.chat("c", "What is 2+3?");
        } catch (RuntimeException e) {
            appSaw = e; // 1.0 lets the argument error end the service call; newer lines tell the model
        }

        ToolCall tool = toolSpans().get(0);
        RecordingObserver.Ended end = observer.onlyEndOf(tool);
        assertTrue(end.error() != null, "the rejected arguments fail the tool");
        if (appSaw != null) {
            assertSame(appSaw, observer.onlyEndOf(observer.started(AgentRun.class).get(0)).error());
        }
    }

    @Test
    void embeddingIsOneCallWithItsUsageAndDimension() {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(api.baseUrl()).apiKey("test")
                .modelName("text-embedding-3-small").maxRetries(0).build();

        var response = model.embed("hello world");

        assertEquals(3, response.content().dimension());
        assertEquals(1, observer.started.size(), "embed(String) and what it calls are one call");
        InferenceCall call = observer.started(InferenceCall.class).get(0);
        assertEquals("embeddings", call.operation);
        assertEquals("openai", call.provider);
        assertTrue(call.frameworkLevel);
        assertEquals("text-embedding-3-small", call.requestModel);
        assertEquals(6, call.inputTokens);
        assertEquals(3L, call.embeddingsDimension);
        assertEquals("127.0.0.1", call.serverAddress);
        assertNull(observer.onlyEndOf(call).error());
    }

    /** The tool executions as spans: a second hook on the same execution nests in it and is folded by the agent. */
    private List<ToolCall> toolSpans() {
        return observer.started(ToolCall.class).stream()
                .filter(tool -> !(observer.parentOf(tool) instanceof ToolCall outer && outer.toolName.equals(tool.toolName)))
                .toList();
    }
}
