package dev.llmlens.instrumentation.anthropic;

import dev.llmlens.instrumentation.anthropic.helper.ToolRunnerHooks;
import net.bytebuddy.asm.Advice;

/** The app's tool code: what it throws is the tool call's error, even though the runner catches it. */
public final class ToolCodeAdvice {

    private ToolCodeAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Thrown Throwable error) {
        ToolRunnerHooks.toolCodeThrew(error);
    }
}
