package dev.llmlens.instrumentation.bedrock;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.bedrock.helper.BedrockHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import software.amazon.awssdk.core.client.config.SdkClientConfiguration;

/**
 * Inlined into the async client's streaming methods: the app's response handler is swapped for one
 * that observes the events on their way to it and ends the call when the stream ends.
 */
public final class StreamCallAdvice {

    private StreamCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static InferenceCall enter(@Advice.Argument(0) Object request,
                                      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler,
                                      @Advice.FieldValue("clientConfiguration") SdkClientConfiguration config) {
        InferenceCall call = BedrockHooks.enter(request, config);
        handler = BedrockHooks.observe(call, handler);
        return call;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter InferenceCall call, @Advice.Return Object result, @Advice.Thrown Throwable error) {
        BedrockHooks.exit(call, result, error);
    }
}
