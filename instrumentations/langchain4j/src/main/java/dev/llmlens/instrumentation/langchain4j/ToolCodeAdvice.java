package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.instrumentation.langchain4j.helper.ToolHooks;
import net.bytebuddy.asm.Advice;

/** The reflective call of a @Tool method: what it throws is the tool's error, though the executor catches it. */
public final class ToolCodeAdvice {

    private ToolCodeAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Thrown Throwable error) {
        ToolHooks.toolCodeThrew(error);
    }
}
