package dev.llmlens.instrumentation.anthropic.helper;

import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.beta.messages.BetaMessage;
import com.anthropic.models.beta.messages.BetaMessageDeltaUsage;
import com.anthropic.models.beta.messages.BetaRawMessageStreamEvent;
import com.anthropic.models.beta.messages.BetaUsage;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageDeltaUsage;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Usage;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.Optional;

/**
 * Reads Messages responses, stream events and errors into the neutral call model. Never throws: a
 * shape it does not expect is counted as an instrumentation error and the call records less.
 *
 * <p>Token semantics (semconv, provider {@code anthropic}): {@code input_tokens} on the call is the
 * API's {@code input_tokens} (the uncached part) + {@code cache_read_input_tokens} +
 * {@code cache_creation_input_tokens}; the two cache counts are kept as they are.
 */
final class AnthropicResponses {

    private AnthropicResponses() {}

    static void onResponse(InferenceCall call, Object response) {
        if (response instanceof Message message) {
            guarded(() -> readUsage(call, message.usage()));
            guarded(() -> call.responseId = message.id());
            guarded(() -> call.responseModel = message.model().asString());
            guarded(() -> message.stopReason().ifPresent(reason -> call.addFinishReason(reason.toString())));
            if (LlmLens.capturesContent()) {
                guarded(() -> AnthropicContent.readOutput(call, message.content(), message.stopReason()));
            }
        } else if (response instanceof BetaMessage message) {
            guarded(() -> readUsage(call, message.usage()));
            guarded(() -> call.responseId = message.id());
            guarded(() -> call.responseModel = message.model().asString());
            guarded(() -> message.stopReason().ifPresent(reason -> call.addFinishReason(reason.toString())));
            if (LlmLens.capturesContent()) {
                guarded(() -> AnthropicContent.readOutput(call, message.content(), message.stopReason()));
            }
        }
        // a raw HttpResponseFor<..> is left unparsed: parsing it here would consume the app's body
    }

    /**
     * {@code message_start} carries the id, model and the input side of usage; {@code message_delta}
     * the stop reason and the cumulative output count — and, from newer API versions, the input side
     * again (cumulative too, so it replaces, never adds).
     */
    static void onEvent(InferenceCall call, Object event) {
        try {
            if (LlmLens.capturesContent()) {
                guarded(() -> AnthropicContent.readEvent(call, event));
            }
            if (event instanceof RawMessageStreamEvent e) {
                e.messageStart().ifPresent(start -> onResponse(call, start.message()));
                e.messageDelta().ifPresent(delta -> {
                    guarded(() -> delta.delta().stopReason().ifPresent(reason -> call.addFinishReason(reason.toString())));
                    guarded(() -> mergeUsage(call, delta.usage()));
                });
            } else if (event instanceof BetaRawMessageStreamEvent e) {
                e.messageStart().ifPresent(start -> onResponse(call, start.message()));
                e.messageDelta().ifPresent(delta -> {
                    guarded(() -> delta.delta().stopReason().ifPresent(reason -> call.addFinishReason(reason.toString())));
                    guarded(() -> mergeUsage(call, delta.usage()));
                });
            }
        } catch (RuntimeException e) {
            LlmLens.instrumentationError(AnthropicHooks.MODULE, e);
        }
    }

    static void onError(InferenceCall call, Throwable error) {
        call.error = error;
        if (error instanceof AnthropicServiceException service) {
            guarded(() -> call.httpStatus = service.statusCode());
        }
    }

    static void guarded(Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            LlmLens.instrumentationError(AnthropicHooks.MODULE, e);
        }
    }

    private static void readUsage(InferenceCall call, Usage usage) {
        setTokens(call, usage.inputTokens(), usage.cacheReadInputTokens(), usage.cacheCreationInputTokens(),
                usage.outputTokens());
    }

    private static void readUsage(InferenceCall call, BetaUsage usage) {
        setTokens(call, usage.inputTokens(), usage.cacheReadInputTokens(), usage.cacheCreationInputTokens(),
                usage.outputTokens());
    }

    private static void mergeUsage(InferenceCall call, MessageDeltaUsage usage) {
        mergeTokens(call, usage.inputTokens(), usage.cacheReadInputTokens(), usage.cacheCreationInputTokens(),
                usage.outputTokens());
    }

    private static void mergeUsage(InferenceCall call, BetaMessageDeltaUsage usage) {
        mergeTokens(call, usage.inputTokens(), usage.cacheReadInputTokens(), usage.cacheCreationInputTokens(),
                usage.outputTokens());
    }

    static void setTokens(InferenceCall call, long uncached, Optional<Long> cacheRead, Optional<Long> cacheWrite,
                          long output) {
        call.cacheReadTokens = cacheRead.orElse(-1L);
        call.cacheWriteTokens = cacheWrite.orElse(-1L);
        call.inputTokens = uncached + cacheRead.orElse(0L) + cacheWrite.orElse(0L);
        call.outputTokens = output;
    }

    /** A later, cumulative report: each count it carries replaces the earlier one; the others stay. */
    static void mergeTokens(InferenceCall call, Optional<Long> uncached, Optional<Long> cacheRead,
                            Optional<Long> cacheWrite, long output) {
        if (uncached.isPresent() || cacheRead.isPresent() || cacheWrite.isPresent()) {
            long read = Math.max(call.cacheReadTokens, 0);
            long write = Math.max(call.cacheWriteTokens, 0);
            long earlierUncached = call.inputTokens < 0 ? 0 : call.inputTokens - read - write;
            setTokens(call, uncached.orElse(earlierUncached),
                    cacheRead.isPresent() || call.cacheReadTokens >= 0 ? Optional.of(cacheRead.orElse(read)) : Optional.empty(),
                    cacheWrite.isPresent() || call.cacheWriteTokens >= 0 ? Optional.of(cacheWrite.orElse(write)) : Optional.empty(),
                    output);
        } else {
            call.outputTokens = output;
        }
    }
}
