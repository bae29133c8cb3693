package dev.llmlens.instrumentation.anthropic.helper;

import dev.llmlens.bootstrap.AgentRun;

/**
 * The tool runner's run while the app is inside one of its iterator's steps on this thread. The run
 * is not the current context there (it outlives the method that started it), so what the step does —
 * the runner's model calls and tool calls — names it as parent. Inside a tool's own code it is
 * cleared again: what the tool does nests under the tool call through the context.
 */
final class ToolRunnerScope {

    private static final ThreadLocal<AgentRun> STEPPING = new ThreadLocal<>();

    private ToolRunnerScope() {}

    static AgentRun current() {
        return STEPPING.get();
    }

    /** @return what was current before, to hand back to {@link #restore}. */
    static AgentRun enter(AgentRun run) {
        AgentRun previous = STEPPING.get();
        STEPPING.set(run);
        return previous;
    }

    static void restore(AgentRun previous) {
        if (previous == null) {
            STEPPING.remove();
        } else {
            STEPPING.set(previous);
        }
    }
}
