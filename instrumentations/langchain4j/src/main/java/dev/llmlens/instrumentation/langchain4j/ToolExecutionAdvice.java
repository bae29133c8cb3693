package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.langchain4j.helper.ToolHooks;
import net.bytebuddy.asm.Advice;

/** One tool execution, as the dispatcher or the reflective executor of @Tool methods runs it. */
public final class ToolExecutionAdvice {

    private ToolExecutionAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ToolCall enter(@Advice.Argument(0) Object request) {
        return ToolHooks.starting(request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ToolCall tool, @Advice.Return Object result, @Advice.Thrown Throwable error) {
        ToolHooks.finished(tool, result, error);
    }
}
