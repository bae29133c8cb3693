package dev.llmlens.instrumentation.bedrock.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.client.config.SdkClientConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

/**
 * Entry points of the advice. Starts a call when a client method is entered and ends it when the
 * work ends: at return (sync), when the future completes (async), or when the event stream completes,
 * fails or is cancelled (streams).
 */
public final class BedrockHooks {

    static final String MODULE = "aws-bedrock-runtime";

    private BedrockHooks() {}

    public static InferenceCall enter(Object request, SdkClientConfiguration config) {
        try {
            InferenceCall call = BedrockRequests.toCall(request, config);
            if (call != null) {
                LlmLens.start(call);
            }
            return call;
        } catch (Throwable t) {
            BedrockResponses.failed(t);
            return null;
        }
    }

    /** @return the handler the SDK should call: the app's, observed, or the app's own when there is no call. */
    public static Object observe(InferenceCall call, Object handler) {
        if (call == null) {
            return handler;
        }
        try {
            if (handler instanceof ConverseStreamResponseHandler converse) {
                return new ObservedConverseStream(converse, call);
            }
            if (handler instanceof InvokeModelWithResponseStreamResponseHandler invoke) {
                return new ObservedInvokeStream(invoke, call);
            }
        } catch (Throwable t) {
            BedrockResponses.failed(t);
        }
        return handler;
    }

    public static void exit(InferenceCall call, Object result, Throwable error) {
        if (call == null) {
            return;
        }
        LlmLens.leave(call);
        if (error != null) {
            BedrockResponses.onError(call, error);
            LlmLens.end(call);
            return;
        }
        if (result instanceof CompletableFuture<?> future) {
            // for streams the handler normally ends the call first; the future is the backstop for
            // failures that never reach the handler and for an app that cancels the future
            LlmLens.endWhenDone(future, call, MODULE, BedrockResponses::onResponse, BedrockResponses::onError);
            return;
        }
        BedrockResponses.onResponse(call, result);
        LlmLens.end(call);
    }
}
