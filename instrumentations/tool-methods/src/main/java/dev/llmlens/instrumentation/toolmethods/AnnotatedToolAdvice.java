package dev.llmlens.instrumentation.toolmethods;

import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.toolmethods.helper.ToolNames;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;

/** Inlined into each method annotated with LangChain4j's or Spring AI's {@code @Tool}. */
public final class AnnotatedToolAdvice {

    private AnnotatedToolAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ToolCall enter(@Advice.Origin Method method) {
        return ToolNames.enter(method);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ToolCall tool, @Advice.Thrown Throwable error) {
        LlmLens.end(tool, error);
    }
}
