package dev.llmlens.instrumentation.anthropic;

import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.anthropic.helper.ToolRunnerHooks;
import net.bytebuddy.asm.Advice;

/** {@code BetaToolRunner#generateGenericToolUseResult}: the runner answers one tool_use block. */
public final class ToolUseAdvice {

    private ToolUseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ToolCall enter(@Advice.Argument(0) Object toolUse, @Advice.Argument(1) java.util.Map<?, ?> tools) {
        return ToolRunnerHooks.toolStarting(toolUse, tools);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ToolCall tool, @Advice.Return Object result, @Advice.Thrown Throwable error) {
        ToolRunnerHooks.toolFinished(tool, result, error);
    }
}
