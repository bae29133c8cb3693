package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.instrumentation.langchain4j.helper.ToolHooks;
import net.bytebuddy.asm.Advice;

/** The dispatcher unwraps what a tool (or its argument parsing) threw before its error handlers see it. */
public final class ToolErrorCauseAdvice {

    private ToolErrorCauseAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return Throwable cause) {
        ToolHooks.toolThrew(cause);
    }
}
