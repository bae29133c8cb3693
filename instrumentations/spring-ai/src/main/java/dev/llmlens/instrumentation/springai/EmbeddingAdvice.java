package dev.llmlens.instrumentation.springai;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.springai.helper.SpringAiHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into an embedding model's {@code call(EmbeddingRequest)}. */
public final class EmbeddingAdvice {

    private EmbeddingAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static InferenceCall enter(@Advice.This Object model, @Advice.Argument(0) Object request) {
        return SpringAiHooks.enterEmbedding(model, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter InferenceCall call, @Advice.Return Object response,
                            @Advice.Thrown Throwable error) {
        SpringAiHooks.exitEmbedding(call, response, error);
    }
}
