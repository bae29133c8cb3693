package dev.llmlens.instrumentation.anthropic;

import dev.llmlens.instrumentation.anthropic.helper.ToolRunnerHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** {@code BetaToolRunner#iterator()} and {@code #streaming()}: the app gets an iteration that is an agent run. */
public final class ToolRunnerAdvice {

    private ToolRunnerAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object runner, @Advice.Origin("#m") String method,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result) {
        result = ToolRunnerHooks.observeIteration(runner, method, result);
    }
}
