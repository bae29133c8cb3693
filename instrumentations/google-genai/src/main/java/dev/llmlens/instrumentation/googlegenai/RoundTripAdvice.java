package dev.llmlens.instrumentation.googlegenai;

import com.google.genai.ApiClient;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.googlegenai.helper.GoogleGenAiHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into Models' and AsyncModels' private* methods: one HTTP round trip each. */
public final class RoundTripAdvice {

    private RoundTripAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static InferenceCall enter(@Advice.FieldValue("apiClient") ApiClient client,
                                      @Advice.Origin("#m") String method,
                                      @Advice.AllArguments Object[] args) {
        return GoogleGenAiHooks.enterRoundTrip(client, method, args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter InferenceCall call,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                            @Advice.Thrown Throwable error) {
        result = GoogleGenAiHooks.exitRoundTrip(call, result, error);
    }
}
