package dev.llmlens.instrumentation.springai;

import dev.llmlens.instrumentation.springai.helper.SpringAiHooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into DefaultToolCallingManager#executeToolCalls(Prompt, ChatResponse): the round trip that
 * asked for the tools has its response; the tools about to run get their call ids from it.
 */
public final class ToolCallsAdvice {

    private ToolCallsAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(1) Object response) {
        return SpringAiHooks.enterToolCalls(response);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object previous) {
        SpringAiHooks.exitToolCalls(previous);
    }
}
