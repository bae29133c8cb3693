package dev.llmlens.instrumentation.springai;

import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.springai.helper.SpringAiHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code call(String, ToolContext)} of Spring AI's own ToolCallback implementations. */
public final class ToolCallbackAdvice {

    private ToolCallbackAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ToolCall enter(@Advice.This Object callback, @Advice.Argument(0) String input) {
        return SpringAiHooks.enterTool(callback, input);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ToolCall tool, @Advice.Return String result, @Advice.Thrown Throwable error) {
        SpringAiHooks.exitTool(tool, result, error);
    }
}
