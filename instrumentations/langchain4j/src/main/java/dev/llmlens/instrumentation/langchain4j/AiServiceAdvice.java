package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.instrumentation.langchain4j.helper.AiServiceHooks;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;

/** The AI service proxy's invocation handler: one service method call, one agent run. */
public final class AiServiceAdvice {

    private AiServiceAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static AgentRun enter(@Advice.Argument(1) Method method, @Advice.Argument(2) Object[] args) {
        return AiServiceHooks.entering(method, args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter AgentRun run, @Advice.Thrown Throwable error) {
        AiServiceHooks.exiting(run, error);
    }
}
