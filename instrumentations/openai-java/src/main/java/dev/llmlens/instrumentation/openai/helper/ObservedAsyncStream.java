package dev.llmlens.instrumentation.openai.helper;

import com.openai.core.http.AsyncStreamResponse;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The app's {@link AsyncStreamResponse} with each chunk observed before the app's handler sees it.
 * The call ends with the SDK's completion future, whether or not the app subscribes.
 */
final class ObservedAsyncStream<T> implements AsyncStreamResponse<T> {

    private final AsyncStreamResponse<T> delegate;
    final InferenceCall call;
    /** The app's own handler threw: the SDK fails the stream with the app's exception, not the model's. */
    private volatile boolean appFailed;

    ObservedAsyncStream(AsyncStreamResponse<T> delegate, InferenceCall call) {
        this.delegate = delegate;
        this.call = call;
        // ends the call when nobody subscribed (or the app only waits on this future)
        delegate.onCompleteFuture().whenComplete((ignored, failure) -> complete(failure));
        LlmLens.endWhenUnreachable(this, call);
    }

    private void complete(Throwable failure) {
        if (failure != null && !call.incomplete && !appFailed) {
            OpenAiResponses.onError(call, LlmLens.causeOf(failure));
        }
        LlmLens.end(call);
    }

    @Override
    public AsyncStreamResponse<T> subscribe(Handler<? super T> handler) {
        delegate.subscribe(new ObservingHandler<>(handler, this));
        return this;
    }

    @Override
    public AsyncStreamResponse<T> subscribe(Handler<? super T> handler, Executor executor) {
        delegate.subscribe(new ObservingHandler<>(handler, this), executor);
        return this;
    }

    @Override
    public CompletableFuture<Void> onCompleteFuture() {
        return delegate.onCompleteFuture();
    }

    @Override
    public void close() {
        LlmLens.endOnClose(call, delegate::close);
    }

    static final class ObservingHandler<T> implements Handler<T> {
        private final Handler<? super T> app;
        private final ObservedAsyncStream<?> owner;

        ObservingHandler(Handler<? super T> app, ObservedAsyncStream<?> owner) {
            this.app = app;
            this.owner = owner;
        }

        @Override
        public void onNext(T chunk) {
            try {
                owner.call.chunkSeen();
                OpenAiResponses.onChunk(owner.call, chunk);
            } catch (Throwable t) {
                LlmLens.instrumentationError(OpenAiHooks.MODULE, t);
            }
            try {
                app.onNext(chunk);
            } catch (RuntimeException | Error e) {
                owner.appFailed = true;
                owner.call.incomplete = true;
                throw e;
            }
        }

        /**
         * The SDK calls this before it completes its future, and an app may close the stream from
         * here: end the call first, so a close cannot turn a failure into an early close.
         */
        @Override
        public void onComplete(Optional<Throwable> error) {
            owner.complete(error.orElse(null));
            app.onComplete(error);
        }
    }
}
