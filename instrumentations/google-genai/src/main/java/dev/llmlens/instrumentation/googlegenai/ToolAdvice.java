package dev.llmlens.instrumentation.googlegenai;

import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.googlegenai.helper.GoogleGenAiHooks;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;

/** Inlined into AfcUtil#getFunctionResponse, where the SDK invokes one of the app's methods. */
public final class ToolAdvice {

    private ToolAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ToolCall enter(@Advice.Argument(0) Method method, @Advice.Argument(1) Object arguments) {
        return GoogleGenAiHooks.enterTool(method, arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ToolCall tool, @Advice.Return Object result, @Advice.Thrown Throwable error) {
        GoogleGenAiHooks.exitTool(tool, result, error);
    }
}
