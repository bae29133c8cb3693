package dev.llmlens.instrumentation.openai;

import com.openai.core.ClientOptions;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.openai.helper.OpenAiHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into every hooked openai-java service method; all logic lives in {@link OpenAiHooks}. */
public final class ServiceCallAdvice {

    private ServiceCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static InferenceCall enter(@Advice.Argument(0) Object params,
                                      @Advice.FieldValue("clientOptions") ClientOptions options,
                                      @Advice.Origin("#m") String method) {
        return OpenAiHooks.enter(params, options, method);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter InferenceCall call,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                            @Advice.Thrown Throwable error) {
        result = OpenAiHooks.exit(call, result, error);
    }
}
