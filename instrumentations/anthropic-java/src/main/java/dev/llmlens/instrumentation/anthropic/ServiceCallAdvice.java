package dev.llmlens.instrumentation.anthropic;

import com.anthropic.core.ClientOptions;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.anthropic.helper.AnthropicHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into every hooked Messages service method; all logic lives in {@link AnthropicHooks}. */
public final class ServiceCallAdvice {

    private ServiceCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static InferenceCall enter(@Advice.Argument(0) Object params,
                                      @Advice.FieldValue("clientOptions") ClientOptions options,
                                      @Advice.Origin("#m") String method) {
        return AnthropicHooks.enter(params, options, method);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter InferenceCall call,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                            @Advice.Thrown Throwable error) {
        result = AnthropicHooks.exit(call, result, error);
    }
}
