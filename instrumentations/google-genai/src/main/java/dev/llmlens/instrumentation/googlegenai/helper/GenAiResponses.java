package dev.llmlens.instrumentation.googlegenai.helper;

import com.google.genai.errors.ApiException;
import com.google.genai.types.Candidate;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads google-genai responses, stream chunks and errors into the neutral call model. Never throws:
 * a shape it does not expect is counted as an instrumentation error and the call records less.
 */
public final class GenAiResponses {

    private GenAiResponses() {}

    /** A whole response, or one chunk of a stream: a chunk's usage replaces the last one's. */
    static void onResponse(InferenceCall call, GenerateContentResponse response) {
        guarded(() -> response.usageMetadata().ifPresent(usage -> readUsage(call, usage)));
        guarded(() -> response.responseId().ifPresent(id -> call.responseId = id));
        guarded(() -> response.modelVersion().ifPresent(model -> call.responseModel = model));
        guarded(() -> response.candidates().ifPresent(candidates -> readFinishReasons(call, candidates)));
        if (LlmLens.capturesContent()) {
            guarded(() -> GenAiContent.readOutput(call, response));
        }
    }

    static void onEmbeddings(InferenceCall call, EmbedContentResponse response) {
        // the Gemini API reports no usage for embeddings; Vertex AI counts tokens per input
        guarded(() -> response.embeddings().ifPresent(embeddings -> readEmbeddings(call, embeddings)));
    }

    static void onError(InferenceCall call, Throwable error) {
        call.error = error;
        if (error instanceof ApiException api) {
            guarded(() -> call.httpStatus = api.code());
        }
    }

    /**
     * Gemini bills thinking as output, and counts cached tokens inside promptTokenCount ("When
     * cached_content is set, this is still the total effective prompt size"), as the semconv wants.
     */
    private static void readUsage(InferenceCall call, GenerateContentResponseUsageMetadata usage) {
        call.inputTokens = count(usage.promptTokenCount());
        call.cacheReadTokens = count(usage.cachedContentTokenCount());
        call.reasoningTokens = count(usage.thoughtsTokenCount());
        long candidates = count(usage.candidatesTokenCount());
        call.outputTokens = candidates < 0 && call.reasoningTokens < 0
                ? -1
                : Math.max(candidates, 0) + Math.max(call.reasoningTokens, 0);
    }

    private static long count(Optional<Integer> value) {
        return value.map(Integer::longValue).orElse(-1L);
    }

    /** Lower case like the semconv's values ("stop"); the Gemini name is kept otherwise ("max_tokens"). */
    private static void readFinishReasons(InferenceCall call, List<Candidate> candidates) {
        for (Candidate candidate : candidates) {
            candidate.finishReason().ifPresent(reason -> call.addFinishReason(reason.toString().toLowerCase(Locale.ROOT)));
        }
    }

    private static void readEmbeddings(InferenceCall call, List<ContentEmbedding> embeddings) {
        long tokens = -1;
        for (ContentEmbedding embedding : embeddings) {
            Optional<Float> count = embedding.statistics().flatMap(statistics -> statistics.tokenCount());
            if (count.isPresent()) {
                tokens = Math.max(tokens, 0) + count.get().longValue();
            }
        }
        call.inputTokens = tokens;
        if (call.embeddingsDimension == null && !embeddings.isEmpty()) {
            embeddings.get(0).values().ifPresent(values -> call.embeddingsDimension = (long) values.size());
        }
    }

    static void guarded(Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            LlmLens.instrumentationError(GoogleGenAiHooks.MODULE, e);
        }
    }
}
