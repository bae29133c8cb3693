package dev.llmlens.instrumentation.openai.helper;

import com.openai.core.ClientOptions;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import dev.llmlens.bootstrap.CallDepth;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.concurrent.CompletableFuture;

/**
 * Entry points of the advice. Starts a call on the outermost hooked method and ends it when the work
 * ends: at return for plain values, when the future completes, or when a stream is drained, closed,
 * fails or is abandoned.
 */
public final class OpenAiHooks {

    static final String MODULE = "openai-java";
    private static final CallDepth DEPTH = new CallDepth();

    private OpenAiHooks() {}

    public static InferenceCall enter(Object params, ClientOptions options, String method) {
        if (DEPTH.enter() > 0) {
            return null;
        }
        try {
            InferenceCall call = OpenAiRequests.toCall(params, options, "createStreaming".equals(method));
            if (call != null) {
                LlmLens.start(call);
            }
            return call;
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    /** @return what the hooked method returns to the app: the same object, or an observing wrapper of it. */
    public static Object exit(InferenceCall call, Object result, Throwable error) {
        DEPTH.exit();
        if (call == null) {
            return result;
        }
        LlmLens.leave(call);
        try {
            if (error != null) {
                OpenAiResponses.onError(call, error);
                LlmLens.end(call);
                return result;
            }
            if (call.stream && result instanceof HttpResponseFor<?> raw) {
                return new ObservedRawStream<>(raw, call);
            }
            if (result instanceof StreamResponse<?> stream) {
                return new ObservedStream<>(stream, call);
            }
            if (result instanceof AsyncStreamResponse<?> stream) {
                return new ObservedAsyncStream<>(stream, call);
            }
            if (result instanceof CompletableFuture<?> future) {
                LlmLens.endWhenDone(future, call, MODULE, OpenAiResponses::onResponse, OpenAiResponses::onError);
                return result;
            }
            OpenAiResponses.onResponse(call, result);
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        }
        LlmLens.end(call);
        return result;
    }
}
