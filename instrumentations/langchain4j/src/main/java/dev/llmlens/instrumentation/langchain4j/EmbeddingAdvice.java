package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.langchain4j.helper.EmbeddingHooks;
import net.bytebuddy.asm.Advice;

/** An embedding model's public entry points; the outermost one of a call records it. */
public final class EmbeddingAdvice {

    private EmbeddingAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static InferenceCall enter(@Advice.This Object model) {
        return EmbeddingHooks.entering(model);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter InferenceCall call, @Advice.Return Object response, @Advice.Thrown Throwable error) {
        EmbeddingHooks.exiting(call, response, error);
    }
}
