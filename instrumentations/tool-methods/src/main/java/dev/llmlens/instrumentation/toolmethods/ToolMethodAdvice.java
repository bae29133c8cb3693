package dev.llmlens.instrumentation.toolmethods;

import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.toolmethods.helper.ToolNames;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into each method named in llmlens.tools.methods; the tool's name is the method's. The method
 * object, the arguments and the return value are only looked up when content capture is on.
 */
public final class ToolMethodAdvice {

    private ToolMethodAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ToolCall enter(@Advice.Origin("#m") String name, @Advice.Origin Method method,
                                 @Advice.AllArguments Object[] arguments) {
        return LlmLens.capturesContent() ? ToolNames.enter(name, method, arguments) : LlmLens.startTool(ToolNames.MODULE, name);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ToolCall tool, @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
                            @Advice.Thrown Throwable error) {
        ToolNames.exit(tool, LlmLens.capturesContent() ? result : null, error);
    }
}
