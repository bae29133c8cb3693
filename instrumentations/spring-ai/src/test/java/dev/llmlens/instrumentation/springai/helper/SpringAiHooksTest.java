package dev.llmlens.instrumentation.springai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;
import reactor.core.publisher.Flux;

/**
 * The advice's entry points, called in the order Spring AI 1.1's OpenAiChatModel calls the hooked
 * methods, on the framework's real objects (1.1.0, the newest 1.1 and 2.0: see the module's pom);
 * nothing here sends a request.
 */
class SpringAiHooksTest {

    static final OpenAiChatModel MODEL = openAiModel();

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    private static OpenAiChatModel openAiModel() {
        try {
            return SpringAiVersions.openAiModel("gpt-4o-mini");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ToolCallback weatherTool(Function<String, String> body) {
        return FunctionToolCallback.builder("weather", body).description("Weather in a city")
                .inputType(String.class).build();
    }

    private static Prompt prompt(List<ToolCallback> tools) {
        return new Prompt(new UserMessage("Weather in Paris?"),
                ToolCallingChatOptions.builder().model("gpt-4o-mini").maxTokens(100).temperature(0.5).toolCallbacks(tools).build());
    }

    private static ChatResponse response(String id, int promptTokens, int completionTokens, String finish,
                                         AssistantMessage.ToolCall... toolCalls) {
        AssistantMessage message = AssistantMessage.builder().content("").toolCalls(List.of(toolCalls)).build();
        return new ChatResponse(List.of(new Generation(message,
                ChatGenerationMetadata.builder().finishReason(finish).build())),
                ChatResponseMetadata.builder().id(id).model("gpt-4o-mini-2024-07-18")
                        .usage(new DefaultUsage(promptTokens, completionTokens)).build());
    }

    private static ChatResponse weatherToolCallResponse() {
        return response("chatcmpl-1", 20, 5, "TOOL_CALLS",
                new AssistantMessage.ToolCall("call_1", "function", "weather", "\"Paris\""));
    }

    /** One whole round trip that is the first of its request (no previous response); @return {@code response} */
    private static ChatResponse roundTrip(Prompt prompt, ChatResponse response, boolean modelRunsToolLoop) {
        SpringAiHooks.exitRoundTrip(SpringAiHooks.enterRoundTrip(MODEL, prompt, null, modelRunsToolLoop), response, null);
        return response;
    }

    /** What DefaultToolCallingManager#executeToolCalls does with the hooks inlined, for one call of {@code tool}. */
    private static ToolCall runToolsAsTheManagerDoes(ToolCallback tool, ChatResponse response) {
        Object previousPending = SpringAiHooks.enterToolCalls(response);
        ToolCall toolCall = SpringAiHooks.enterTool(tool, "\"Paris\"");
        assertEquals("\"sunny\"", tool.call("\"Paris\"", new ToolContext(java.util.Map.of())));
        LlmLens.end(toolCall, null);
        SpringAiHooks.exitToolCalls(previousPending);
        return toolCall;
    }

    @Test
    void aCallWithoutToolsIsOneFrameworkLevelCallAndNoRun() {
        RoundTrip roundTrip = SpringAiHooks.enterRoundTrip(MODEL, prompt(List.of()), null, true);
        SpringAiHooks.exitRoundTrip(roundTrip, response("chatcmpl-1", 12, 3, "STOP"), null);

        InferenceCall call = observer.started(InferenceCall.class).get(0);
        assertEquals(List.of(call), observer.started);
        assertTrue(call.frameworkLevel);
        assertEquals("openai", call.provider);
        assertEquals("chat", call.operation);
        assertEquals("gpt-4o-mini", call.requestModel);
        assertEquals(100L, call.maxTokens);
        assertEquals(0.5, call.temperature);
        assertEquals("chatcmpl-1", call.responseId);
        assertEquals("gpt-4o-mini-2024-07-18", call.responseModel);
        assertEquals(List.of("stop"), call.finishReasons);
        assertEquals(12, call.inputTokens);
        assertEquals(3, call.outputTokens);
        assertFalse(observer.isCurrent(call));
    }

    @Test
    void aToolLoopIsARunWithRoundTripsAndToolsAsSiblingsAndCumulativeUsageCountedOnce() {
        ToolCallback tool = weatherTool(city -> "sunny");
        Prompt first = prompt(List.of(tool));
        RoundTrip round1 = SpringAiHooks.enterRoundTrip(MODEL, first, null, true);
        ChatResponse response1 = weatherToolCallResponse();
        // the model asked for tools: the manager runs them, then internalCall recurses
        ToolCall toolCall = runToolsAsTheManagerDoes(tool, response1);
        RoundTrip round2 = SpringAiHooks.enterRoundTrip(MODEL, first, response1, true);
        // cumulative: 20 + 30 prompt tokens, 5 + 7 completion tokens
        ChatResponse response2 = response("chatcmpl-2", 50, 12, "STOP");
        SpringAiHooks.exitRoundTrip(round2, response2, null);
        SpringAiHooks.exitRoundTrip(round1, response2, null);

        AgentRun run = observer.started(AgentRun.class).get(0);
        List<InferenceCall> calls = observer.started(InferenceCall.class);
        assertEquals(List.of(run, calls.get(0), toolCall, calls.get(1)), observer.started);
        assertEquals("OpenAiChatModel", run.agentName);
        assertEquals("gpt-4o-mini", run.requestModel);
        for (var child : List.of(calls.get(0), toolCall, calls.get(1))) {
            assertSame(run, observer.parentOf(child), "round trips and tools are siblings under the run");
        }
        assertEquals(20, calls.get(0).inputTokens);
        assertEquals(5, calls.get(0).outputTokens);
        assertEquals(List.of("tool_calls"), calls.get(0).finishReasons);
        assertEquals(30, calls.get(1).inputTokens);
        assertEquals(7, calls.get(1).outputTokens);
        assertEquals("chatcmpl-2", calls.get(1).responseId);
        assertEquals("weather", toolCall.toolName);
        assertEquals("call_1", toolCall.toolCallId);
        assertEquals("\"Paris\"", toolCall.arguments);
        assertEquals("Weather in a city", toolCall.toolDescription);
        for (var operation : observer.started) {
            assertEquals(1, observer.endsOf(operation).size());
        }
        assertTrue(observer.onlyEndOf(calls.get(0)).operation().endNanos <= toolCall.startNanos,
                "the first round trip ended when its response arrived, before the tool ran");
    }

    @Test
    void aChatClientCallWithToolsIsTheRunAndTheModelOpensNoSecondOne() {
        ToolCallback tool = weatherTool(city -> "sunny");
        Prompt prompt = prompt(List.of(tool));
        Object client = SpringAiHooks.enterChatClient(ChatClientRequest.builder().prompt(prompt).build());
        roundTrip(prompt, response("chatcmpl-1", 5, 1, "STOP"), true);
        SpringAiHooks.exitChatClient(client, null);

        List<AgentRun> runs = observer.started(AgentRun.class);
        assertEquals(1, runs.size());
        assertEquals("ChatClient", runs.get(0).agentName);
        assertSame(runs.get(0), observer.parentOf(observer.started(InferenceCall.class).get(0)));
    }

    @Test
    void aChatClientToolLoopRunByTheClientHasEachRoundTripWithItsOwnUsageUnderTheRun() {
        // 2.0: the ChatClient's tool calling advisor runs the loop, calling the model's private
        // internalCall afresh per round (no previous response) and the tool calling manager in between
        ToolCallback tool = weatherTool(city -> "sunny");
        Prompt prompt = prompt(List.of(tool));
        Object client = SpringAiHooks.enterChatClient(ChatClientRequest.builder().prompt(prompt).build());
        ChatResponse response1 = roundTrip(prompt, weatherToolCallResponse(), false);
        ToolCall toolCall = runToolsAsTheManagerDoes(tool, response1);
        roundTrip(prompt, response("chatcmpl-2", 30, 7, "STOP"), false);
        SpringAiHooks.exitChatClient(client, null);

        AgentRun run = observer.started(AgentRun.class).get(0);
        List<InferenceCall> calls = observer.started(InferenceCall.class);
        assertEquals(List.of(run, calls.get(0), toolCall, calls.get(1)), observer.started);
        assertEquals("ChatClient", run.agentName);
        for (var child : List.of(calls.get(0), toolCall, calls.get(1))) {
            assertSame(run, observer.parentOf(child));
        }
        assertEquals(20, calls.get(0).inputTokens);
        assertEquals(30, calls.get(1).inputTokens, "each round reports its own usage: nothing subtracted");
        assertEquals(7, calls.get(1).outputTokens);
        assertEquals("call_1", toolCall.toolCallId);
        for (var operation : observer.started) {
            assertEquals(1, observer.endsOf(operation).size());
        }
    }

    @Test
    void aChatClientCallWithoutToolsIsOneCallWithNoRun() {
        Prompt prompt = prompt(List.of());
        Object client = SpringAiHooks.enterChatClient(ChatClientRequest.builder().prompt(prompt).build());
        RoundTrip round = SpringAiHooks.enterRoundTrip(MODEL, prompt, null, true);
        SpringAiHooks.exitRoundTrip(round, response("chatcmpl-1", 5, 1, "STOP"), null);
        SpringAiHooks.exitChatClient(client, null);

        assertEquals(1, observer.started.size());
        assertTrue(observer.started.get(0) instanceof InferenceCall);
    }

    @Test
    void aModelThatDoesNotRunTheLoopItselfOpensNoRun() {
        RoundTrip round = SpringAiHooks.enterRoundTrip(MODEL, prompt(List.of(weatherTool(c -> "x"))), null, false);
        SpringAiHooks.exitRoundTrip(round, response("chatcmpl-1", 5, 1, "TOOL_CALLS"), null);

        assertEquals(1, observer.started.size());
        assertTrue(observer.started.get(0) instanceof InferenceCall);
    }

    @Test
    void theClassPathHoldsTheSpringAiUnderTest() {
        SpringAiVersions.assertRunningExpectedVersion();
    }

    @Test
    void onlyARequestWithToolCallbacksCanBecomeAToolLoop() throws Exception {
        assertTrue(ToolDeclarations.declaresTools(prompt(List.of(weatherTool(c -> "x")))));
        assertFalse(ToolDeclarations.declaresTools(prompt(List.of())));
        assertFalse(ToolDeclarations.declaresTools(new Prompt("hi")));
    }

    @Test
    void appRunToolsMeansNoLoopAndNoRun() throws Exception {
        assumeFalse(SpringAiVersions.SPRING_AI_2, "2.0 removed internalToolExecutionEnabled");
        Prompt prompt = new Prompt(new UserMessage("hi"), ToolCallingChatOptions.builder().model("m")
                .toolCallbacks(List.of(weatherTool(c -> "x"))).internalToolExecutionEnabled(false).build());
        assertFalse(ToolDeclarations.declaresTools(prompt));
    }

    @Test
    void aFailedRoundTripEndsWithTheErrorAndSoDoesItsRun() {
        IllegalStateException failure = new IllegalStateException("HTTP 500");
        RoundTrip round = SpringAiHooks.enterRoundTrip(MODEL, prompt(List.of(weatherTool(c -> "x"))), null, true);
        SpringAiHooks.exitRoundTrip(round, null, failure);

        for (var operation : observer.started) {
            assertSame(failure, observer.onlyEndOf(operation).error());
        }
        assertEquals(2, observer.started.size());
    }

    @Test
    void aFailingToolEndsWithItsError() {
        ToolCallback tool = weatherTool(city -> {
            throw new IllegalArgumentException("unknown city");
        });
        ToolCall toolCall = SpringAiHooks.enterTool(tool, "\"Atlantis\"");
        RuntimeException thrown = null;
        try {
            tool.call("\"Atlantis\"", new ToolContext(java.util.Map.of()));
        } catch (RuntimeException e) {
            thrown = e;
        }
        LlmLens.end(toolCall, thrown);

        assertSame(thrown, observer.onlyEndOf(toolCall).error());
        assertNull(toolCall.toolCallId, "called outside a tool calling manager: no call id to find");
    }

    @Test
    void eachSubscriptionOfAStreamIsOneCallEndedOnCompleteCancelOrError() {
        ChatResponse chunk1 = response("chatcmpl-9", 0, 0, "");
        ChatResponse last = response("chatcmpl-9", 11, 4, "STOP");
        Flux<?> flux = (Flux<?>) SpringAiHooks.observeStream(MODEL, new Prompt("hi"), Flux.just(chunk1, last));

        assertEquals(0, observer.started.size(), "nothing before subscribe");
        assertEquals(2, flux.collectList().block().size());
        InferenceCall completed = observer.started(InferenceCall.class).get(0);
        assertTrue(completed.stream);
        assertEquals("gpt-4o-mini", completed.requestModel, "from the model's defaults");
        assertEquals(11, completed.inputTokens);
        assertEquals(4, completed.outputTokens);
        assertEquals(List.of("stop"), completed.finishReasons);
        assertFalse(observer.onlyEndOf(completed).incomplete());

        flux.take(1).blockLast();
        InferenceCall cancelled = observer.started(InferenceCall.class).get(1);
        assertTrue(observer.onlyEndOf(cancelled).incomplete());
        assertNull(observer.onlyEndOf(cancelled).error());

        IllegalStateException failure = new IllegalStateException("stream broke");
        Flux<?> failing = (Flux<?>) SpringAiHooks.observeStream(MODEL, new Prompt("hi"),
                Flux.concat(Flux.just(chunk1), Flux.error(failure)));
        try {
            failing.blockLast();
        } catch (IllegalStateException expected) {
            // the app sees the failure unchanged
        }
        InferenceCall failed = observer.started(InferenceCall.class).get(2);
        assertSame(failure, observer.onlyEndOf(failed).error());
        assertEquals(3, observer.ended.size());
    }
}
