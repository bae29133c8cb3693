package dev.llmlens.instrumentation.anthropic.helper;

import com.anthropic.helpers.BetaToolRunner;
import com.anthropic.models.beta.messages.BetaToolResultBlockParam;
import com.anthropic.models.beta.messages.BetaToolUseBlockParam;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Operation;
import dev.llmlens.bootstrap.ToolCall;
import java.util.Iterator;
import java.util.Map;

/**
 * Entry points of the tool-runner advice: the iteration is an {@link AgentRun} named
 * {@code BetaToolRunner}; each tool_use block the runner answers with the app's tool code is a
 * {@link ToolCall} under it, and the runner's model round trips are inference calls under it.
 */
public final class ToolRunnerHooks {

    static final String AGENT_NAME = "BetaToolRunner";
    private static final String RUNNER_CLASS = "com.anthropic.helpers.BetaToolRunner";

    /** The tool call whose code runs on this thread, to which the code's exception belongs. */
    private static final ThreadLocal<ToolCall> RUNNING = new ThreadLocal<>();

    private ToolRunnerHooks() {}

    /** @return what {@code iterator()} or {@code streaming()} returns to the app: the same, observed. */
    public static Object observeIteration(Object runner, String method, Object result) {
        try {
            String model = null;
            if (runner instanceof BetaToolRunner toolRunner) {
                try {
                    model = toolRunner.params().model().asString();
                } catch (RuntimeException e) {
                    LlmLens.instrumentationError(AnthropicHooks.MODULE, e);
                }
            }
            if ("iterator".equals(method) && result instanceof Iterator<?> steps) {
                return ObservedRun.start(newRun(method, model), steps);
            }
            if ("streaming".equals(method) && result instanceof Iterable<?> rounds) {
                return new ObservedRun.RunStreams<>(rounds, model);
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(AnthropicHooks.MODULE, t);
        }
        return result;
    }

    static AgentRun newRun(String method, String model) {
        AgentRun run = new AgentRun(AnthropicHooks.MODULE, AGENT_NAME);
        run.agentMethod = RUNNER_CLASS + "." + method;
        run.requestModel = model;
        run.parent = ToolRunnerScope.current();
        return run;
    }

    /**
     * @return the started tool call, or null when no tool code will run (a tool the runner does not
     *     know gets an error result without any code running)
     */
    public static ToolCall toolStarting(Object toolUse, Map<?, ?> tools) {
        try {
            if (!(toolUse instanceof BetaToolUseBlockParam block) || tools == null || tools.get(block.name()) == null) {
                return null;
            }
            ToolCall tool = new ToolCall(AnthropicHooks.MODULE, block.name());
            tool.toolCallId = block.id();
            if (LlmLens.capturesContent()) {
                AnthropicResponses.guarded(() -> tool.arguments = AnthropicContent.toolArguments(block));
            }
            tool.parent = ToolRunnerScope.current();
            LlmLens.start(tool);
            // what the tool's code does (even a model call) nests under the tool through the context
            ToolRunnerScope.enter(null);
            RUNNING.set(tool);
            return tool;
        } catch (Throwable t) {
            LlmLens.instrumentationError(AnthropicHooks.MODULE, t);
            return null;
        }
    }

    public static void toolCodeThrew(Throwable error) {
        ToolCall tool = RUNNING.get();
        if (error != null && tool != null && tool.error == null) {
            tool.error = error;
        }
    }

    public static void toolFinished(ToolCall tool, Object result, Throwable error) {
        if (tool == null) {
            return;
        }
        RUNNING.remove();
        Operation run = tool.parent;
        ToolRunnerScope.restore(run instanceof AgentRun agentRun ? agentRun : null);
        LlmLens.leave(tool);
        try {
            if (error == null && tool.error == null && result instanceof BetaToolResultBlockParam answer
                    && answer.isError().orElse(false)) {
                // the runner reported a failure it did not get from the tool code as an exception
                tool.errorType = "tool_error";
            }
            if (LlmLens.capturesContent() && result instanceof BetaToolResultBlockParam answer) {
                tool.result = AnthropicContent.toolResult(answer);
            }
        } catch (RuntimeException e) {
            LlmLens.instrumentationError(AnthropicHooks.MODULE, e);
        }
        LlmLens.end(tool, error);
    }
}
