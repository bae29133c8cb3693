package dev.llmlens.instrumentation.langchain4j.helper;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.output.Response;
import dev.llmlens.bootstrap.CallDepth;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.List;

/**
 * An embedding call through an {@code EmbeddingModel}'s public methods ({@code embed(String)},
 * {@code embed(TextSegment)}, {@code embedAll}). They call one another, so only the outermost on a
 * thread records. Framework-level like chat: an SDK hook below covers it.
 */
public final class EmbeddingHooks {

    private static final CallDepth DEPTH = new CallDepth();

    private EmbeddingHooks() {}

    public static InferenceCall entering(Object model) {
        if (DEPTH.enter() > 0) {
            return null;
        }
        try {
            // provider() exists from the lines with embedding listeners; before that the package tells
            Object modelProvider = Reflection.call(model, "provider");
            String provider = modelProvider == null ? Providers.ofPackage(model) : Providers.of(modelProvider, model);
            InferenceCall call = new InferenceCall(ChatHooks.MODULE, provider, "embeddings");
            call.frameworkLevel = true;
            if (Reflection.call(model, "modelName") instanceof String modelName) {
                call.requestModel = modelName;
            }
            Providers.endpoint(model, call);
            LlmLens.start(call);
            return call;
        } catch (Throwable t) {
            LlmLens.instrumentationError(ChatHooks.MODULE, t);
            return null;
        }
    }

    public static void exiting(InferenceCall call, Object response, Throwable error) {
        DEPTH.exit();
        if (call == null) {
            return;
        }
        try {
            if (error == null && response instanceof Response<?> result) {
                if (result.tokenUsage() != null) {
                    Integer input = result.tokenUsage().inputTokenCount();
                    call.inputTokens = input == null ? -1 : input;
                }
                Object content = result.content();
                Object first = content instanceof List<?> list && !list.isEmpty() ? list.get(0) : content;
                if (first instanceof Embedding embedding) {
                    call.embeddingsDimension = (long) embedding.dimension();
                }
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(ChatHooks.MODULE, t);
        } finally {
            LlmLens.end(call, error);
        }
    }
}
