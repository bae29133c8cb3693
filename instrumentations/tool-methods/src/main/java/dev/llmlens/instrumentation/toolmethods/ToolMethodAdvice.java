package dev.llmlens.instrumentation.toolmethods;

import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import net.bytebuddy.asm.Advice;

/** Inlined into each method named in llmlens.tools.methods; the tool's name is the method's. */
public final class ToolMethodAdvice {

    private ToolMethodAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ToolCall enter(@Advice.Origin("#m") String method) {
        return LlmLens.startTool("tool-methods", method);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ToolCall tool, @Advice.Thrown Throwable error) {
        LlmLens.end(tool, error);
    }
}
