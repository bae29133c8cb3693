package dev.llmlens.instrumentation.anthropic.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.JsonValue;
import com.anthropic.models.beta.messages.BetaToolResultBlockParam;
import com.anthropic.models.beta.messages.BetaToolUseBlockParam;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tool runner's iteration as a run, with real tool_use blocks and results; the runner's steps
 * are stood in for by an iterator that does what a step does (a model call, a tool call).
 */
class ToolRunnerHooksTest {

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    private static BetaToolUseBlockParam toolUse(String id, String name) {
        return BetaToolUseBlockParam.builder().id(id).name(name)
                .input(BetaToolUseBlockParam.Input.builder().putAdditionalProperty("city", JsonValue.from("Paris")).build())
                .build();
    }

    private static BetaToolResultBlockParam result(String id, boolean error) {
        return BetaToolResultBlockParam.builder().toolUseId(id).content(error ? "Error: boom" : "sunny").isError(error).build();
    }

    /** One step as the runner makes it: a model call, then the tool it asked for. */
    private Iterator<String> steps(int count, Runnable step) {
        return new Iterator<>() {
            int done;

            @Override
            public boolean hasNext() {
                if (done < count) {
                    step.run();
                }
                return done < count;
            }

            @Override
            public String next() {
                if (done >= count) {
                    throw new NoSuchElementException();
                }
                return "message " + ++done;
            }
        };
    }

    private void modelCallThenTool(String toolName, boolean toolThrows) {
        InferenceCall call = new InferenceCall("anthropic-java", "anthropic", "chat");
        call.parent = ToolRunnerScope.current();
        dev.llmlens.bootstrap.LlmLens.start(call);
        dev.llmlens.bootstrap.LlmLens.leave(call);
        dev.llmlens.bootstrap.LlmLens.end(call);
        ToolCall tool = ToolRunnerHooks.toolStarting(toolUse("toolu_" + observer.started.size(), toolName),
                Map.of("get_weather", "the tool"));
        IllegalStateException thrown = toolThrows ? new IllegalStateException("boom") : null;
        ToolRunnerHooks.toolCodeThrew(thrown);
        ToolRunnerHooks.toolFinished(tool, result("x", toolThrows), null);
    }

    @SuppressWarnings("unchecked")
    @Test
    void iterationIsOneRunWithItsModelAndToolCallsUnderIt() {
        Iterator<String> messages = (Iterator<String>) ToolRunnerHooks.observeIteration(new Object(), "iterator",
                steps(2, () -> modelCallThenTool("get_weather", false)));
        AgentRun run = observer.started(AgentRun.class).get(0);
        assertTrue(observer.endsOf(run).isEmpty(), "started when the app asked for the iterator");
        assertTrue(!observer.isCurrent(run), "not current outside the steps");

        List<String> seen = new java.util.ArrayList<>();
        messages.forEachRemaining(seen::add);

        assertEquals(List.of("message 1", "message 2"), seen);
        assertNull(observer.onlyEndOf(run).error());
        assertEquals("BetaToolRunner", run.agentName);
        assertEquals("com.anthropic.helpers.BetaToolRunner.iterator", run.agentMethod);
        List<ToolCall> tools = observer.started(ToolCall.class);
        assertEquals(2, tools.size());
        assertEquals("get_weather", tools.get(0).toolName);
        assertEquals("toolu_2", tools.get(0).toolCallId);
        for (ToolCall tool : tools) {
            assertSame(run, tool.parent);
            assertNull(observer.onlyEndOf(tool).error());
            assertNull(tool.errorType);
        }
        for (InferenceCall call : observer.started(InferenceCall.class)) {
            assertSame(run, call.parent);
        }
        assertNull(ToolRunnerScope.current(), "nothing left behind on the thread");
    }

    @SuppressWarnings("unchecked")
    @Test
    void toolThatThrowsIsAFailedToolCallAndTheRunGoesOn() {
        Iterator<String> messages = (Iterator<String>) ToolRunnerHooks.observeIteration(new Object(), "iterator",
                steps(1, () -> modelCallThenTool("get_weather", true)));
        messages.forEachRemaining(message -> { });

        ToolCall tool = observer.started(ToolCall.class).get(0);
        assertEquals("boom", observer.onlyEndOf(tool).error().getMessage());
        assertNull(observer.onlyEndOf(observer.started(AgentRun.class).get(0)).error());
    }

    @Test
    void toolTheRunnerDoesNotKnowRunsNoCodeAndIsNoToolCall() {
        assertNull(ToolRunnerHooks.toolStarting(toolUse("toolu_1", "unknown"), Map.of("get_weather", "the tool")));
        ToolRunnerHooks.toolFinished(null, result("toolu_1", true), null);
        assertTrue(observer.started.isEmpty());
    }

    @SuppressWarnings("unchecked")
    @Test
    void failingStepEndsTheRunWithItsError() {
        RuntimeException failure = new RuntimeException("429 from the model");
        Iterator<String> messages = (Iterator<String>) ToolRunnerHooks.observeIteration(new Object(), "iterator",
                steps(1, () -> {
                    throw failure;
                }));

        assertSame(failure, assertThrows(RuntimeException.class, messages::hasNext));

        assertSame(failure, observer.onlyEndOf(observer.started(AgentRun.class).get(0)).error());
        assertNull(ToolRunnerScope.current());
    }

    @Test
    void runWhoseIteratorTheAppDropsEndsWhenItIsCollected() {
        startAndDrop();
        AgentRun run = observer.started(AgentRun.class).get(0);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (observer.endsOf(run).isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            // polling the cleaner's thread, which ends the run once the iterator is unreachable
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        assertNull(observer.onlyEndOf(run).error());
    }

    private void startAndDrop() {
        Iterator<?> messages = (Iterator<?>) ToolRunnerHooks.observeIteration(new Object(), "iterator",
                steps(2, () -> { }));
        assertTrue(messages.hasNext());
    }

    @SuppressWarnings("unchecked")
    @Test
    void streamingStartsOneRunPerIteration() {
        Iterable<String> rounds = (Iterable<String>) ToolRunnerHooks.observeIteration(new Object(), "streaming",
                (Iterable<String>) () -> steps(1, () -> { }));
        assertTrue(observer.started.isEmpty(), "nothing runs until the app iterates");

        rounds.iterator().forEachRemaining(round -> { });

        AgentRun run = observer.started(AgentRun.class).get(0);
        assertEquals("com.anthropic.helpers.BetaToolRunner.streaming", run.agentMethod);
        assertNull(observer.onlyEndOf(run).error());
    }
}
