package dev.llmlens.instrumentation.toolmethods;

import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.toolmethods.helper.ToolNames;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into each method annotated with LangChain4j's or Spring AI's {@code @Tool}. The arguments and
 * the return value are only boxed when content capture is on: the read sits behind the check.
 */
public final class AnnotatedToolAdvice {

    private AnnotatedToolAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ToolCall enter(@Advice.Origin Method method, @Advice.AllArguments Object[] arguments) {
        return ToolNames.enter(method, LlmLens.capturesContent() ? arguments : null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ToolCall tool, @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
                            @Advice.Thrown Throwable error) {
        ToolNames.exit(tool, LlmLens.capturesContent() ? result : null, error);
    }
}
