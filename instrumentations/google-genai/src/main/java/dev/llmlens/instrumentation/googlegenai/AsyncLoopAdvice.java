package dev.llmlens.instrumentation.googlegenai;

import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.instrumentation.googlegenai.helper.GoogleGenAiHooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into AsyncModels#privateGenerateContentLoopAsync: each iteration after the first runs on a
 * pool thread, where only the function map it is handed tells which run it belongs to.
 */
public final class AsyncLoopAdvice {

    private AsyncLoopAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static AgentRun enter(@Advice.Argument(3) Object functionMap) {
        return GoogleGenAiHooks.enterAsyncLoop(functionMap);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter AgentRun previous) {
        GoogleGenAiHooks.exitAsyncLoop(previous);
    }
}
