package dev.llmlens.instrumentation.googlegenai;

import com.google.genai.types.GenerateContentResponse;
import dev.llmlens.instrumentation.googlegenai.helper.GoogleGenAiHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into AfcUtil#getFunctionResponseParts: the model's function calls the SDK is about to run. */
public final class FunctionCallsAdvice {

    private FunctionCallsAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) GenerateContentResponse response,
                               @Advice.Argument(1) Object functionMap) {
        return GoogleGenAiHooks.enterFunctionCalls(response, functionMap);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object previous) {
        GoogleGenAiHooks.exitFunctionCalls(previous);
    }
}
