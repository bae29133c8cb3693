package dev.llmlens.instrumentation.anthropic.helper;

import com.anthropic.core.ClientOptions;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import dev.llmlens.bootstrap.CallDepth;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.concurrent.CompletableFuture;

/**
 * Entry points of the Messages advice. Starts a call on the outermost hooked method and ends it
 * when the work ends: at return for a message, when the future completes, or with the stream.
 */
public final class AnthropicHooks {

    static final String MODULE = "anthropic-java";
    private static final CallDepth DEPTH = new CallDepth();

    private AnthropicHooks() {}

    public static InferenceCall enter(Object params, ClientOptions options, String method) {
        if (DEPTH.enter() > 0) {
            return null;
        }
        try {
            InferenceCall call = AnthropicRequests.toCall(params, options, "createStreaming".equals(method));
            if (call != null) {
                call.parent = ToolRunnerScope.current();
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
                AnthropicResponses.onError(call, error);
            } else if (result instanceof StreamResponse<?> stream) {
                return new ObservedStream<>(stream, call);
            } else if (result instanceof AsyncStreamResponse<?> stream) {
                return new ObservedAsyncStream<>(stream, call);
            } else if (result instanceof CompletableFuture<?> future) {
                LlmLens.endWhenDone(future, call, MODULE, AnthropicResponses::onResponse, AnthropicResponses::onError);
                return result;
            } else {
                AnthropicResponses.onResponse(call, result);
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        }
        LlmLens.end(call);
        return result;
    }
}
