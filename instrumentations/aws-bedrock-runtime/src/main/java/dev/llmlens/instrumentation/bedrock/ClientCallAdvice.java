package dev.llmlens.instrumentation.bedrock;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.bedrock.helper.BedrockHooks;
import net.bytebuddy.asm.Advice;
import software.amazon.awssdk.core.client.config.SdkClientConfiguration;

/** Inlined into converse and invokeModel of both clients; all logic lives in {@link BedrockHooks}. */
public final class ClientCallAdvice {

    private ClientCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static InferenceCall enter(@Advice.Argument(0) Object request,
                                      @Advice.FieldValue("clientConfiguration") SdkClientConfiguration config) {
        return BedrockHooks.enter(request, config);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter InferenceCall call, @Advice.Return Object result, @Advice.Thrown Throwable error) {
        BedrockHooks.exit(call, result, error);
    }
}
