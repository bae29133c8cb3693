package dev.llmlens.instrumentation.openai.helper;

import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;

/**
 * Reads openai-java responses, stream chunks and errors into the neutral call model. Never throws:
 * a shape it does not expect is counted as an instrumentation error and the call records less.
 */
public final class OpenAiResponses {

    private OpenAiResponses() {}

    static void onResponse(InferenceCall call, Object response) {
        try {
            if (response instanceof ChatCompletion chat) {
                // each part on its own: one malformed field (e.g. a null finish_reason from an
                // OpenAI-compatible server) must not cost the call its tokens and price
                guarded(() -> chat.usage().ifPresent(usage -> readUsage(call, usage)));
                guarded(() -> call.responseId = chat.id());
                guarded(() -> call.responseModel = chat.model());
                guarded(() -> {
                    call.responseServiceTier = OpenAiRequests.text(chat.serviceTier());
                    call.systemFingerprint = chat.systemFingerprint().orElse(null);
                });
                guarded(() -> chat.choices().forEach(choice -> call.addFinishReason(choice.finishReason().toString())));
                if (capturing(call)) {
                    guarded(() -> OpenAiContent.chatOutput(chat, call));
                }
            } else if (response instanceof Response r) {
                readResponse(call, r);
            } else if (response instanceof CreateEmbeddingResponse embeddings) {
                call.responseModel = embeddings.model();
                call.inputTokens = embeddings.usage().promptTokens();
                if (call.embeddingsDimension == null && !embeddings.data().isEmpty()) {
                    call.embeddingsDimension = (long) embeddings.data().get(0).embedding().size();
                }
            }
            // a raw HttpResponseFor<..> is left unparsed: parsing it here would consume the app's body
        } catch (Throwable t) {
            LlmLens.instrumentationError(OpenAiHooks.MODULE, t);
        }
    }

    static void onChunk(InferenceCall call, Object chunk) {
        try {
            if (chunk instanceof ChatCompletionChunk c) {
                // present only when the app asked for stream_options.include_usage
                guarded(() -> c.usage().ifPresent(usage -> readUsage(call, usage)));
                // Azure's leading content-filter chunk has an empty id and model: wait for a real one
                if (isBlank(call.responseId) && !c.id().isEmpty()) {
                    call.responseId = c.id();
                    call.responseModel = c.model();
                    call.systemFingerprint = c.systemFingerprint().orElse(null);
                    call.responseServiceTier = OpenAiRequests.text(c.serviceTier());
                }
                for (ChatCompletionChunk.Choice choice : c.choices()) {
                    choice.finishReason().ifPresent(reason -> call.addFinishReason(reason.toString()));
                }
                if (capturing(call)) {
                    guarded(() -> OpenAiContent.chatChunk(c, call));
                }
            } else if (chunk instanceof ResponseStreamEvent event) {
                event.created().ifPresent(created -> readResponse(call, created.response()));
                event.completed().ifPresent(completed -> readResponse(call, completed.response()));
                event.incomplete().ifPresent(incomplete -> readResponse(call, incomplete.response()));
                event.failed().ifPresent(failed -> {
                    readResponse(call, failed.response());
                    call.errorType = failed.response().error().map(e -> e.code().toString()).orElse("response_failed");
                });
                event.error().ifPresent(error -> call.errorType = error.code().orElse("stream_error"));
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(OpenAiHooks.MODULE, t);
        }
    }

    static void onError(InferenceCall call, Throwable error) {
        call.error = error;
        if (error instanceof OpenAIServiceException service) {
            try {
                call.httpStatus = service.statusCode();
            } catch (Throwable t) {
                LlmLens.instrumentationError(OpenAiHooks.MODULE, t);
            }
        }
    }

    static void guarded(Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            LlmLens.instrumentationError(OpenAiHooks.MODULE, e);
        }
    }

    /** Decided once, when the call started: the request side filled inputMessages only while capture was on. */
    private static boolean capturing(InferenceCall call) {
        return call.inputMessages != null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isEmpty();
    }

    private static void readResponse(InferenceCall call, Response r) {
        guarded(() -> r.usage().ifPresent(usage -> readUsage(call, usage)));
        call.responseId = r.id();
        call.responseModel = OpenAiRequests.modelName(r.model());
        call.responseServiceTier = OpenAiRequests.text(r.serviceTier());
        call.finishReasons.clear();
        r.incompleteDetails().flatMap(d -> d.reason()).ifPresentOrElse(
                reason -> call.addFinishReason(reason.toString()),
                () -> r.status().ifPresent(status -> call.addFinishReason(status.toString())));
        if (capturing(call)) {
            guarded(() -> OpenAiContent.responseOutput(r, call));
        }
    }

    private static void readUsage(InferenceCall call, CompletionUsage usage) {
        call.inputTokens = usage.promptTokens();
        call.outputTokens = usage.completionTokens();
        usage.promptTokensDetails().ifPresent(details -> {
            details.cachedTokens().ifPresent(n -> call.cacheReadTokens = n);
            details.cacheWriteTokens().ifPresent(n -> call.cacheWriteTokens = n);
        });
        usage.completionTokensDetails().flatMap(d -> d.reasoningTokens()).ifPresent(n -> call.reasoningTokens = n);
    }

    private static void readUsage(InferenceCall call, ResponseUsage usage) {
        call.inputTokens = usage.inputTokens();
        call.outputTokens = usage.outputTokens();
        call.cacheReadTokens = usage.inputTokensDetails().cachedTokens();
        call.reasoningTokens = usage.outputTokensDetails().reasoningTokens();
    }
}
