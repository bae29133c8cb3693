package dev.llmlens.instrumentation.anthropic.helper;

import com.anthropic.core.http.AsyncStreamResponse;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The app's {@link AsyncStreamResponse}; each event is observed before the app's handler gets it.
 * The call ends with the SDK's completion future, whether the app subscribes or only waits on it.
 */
final class ObservedAsyncStream<T> implements AsyncStreamResponse<T> {

    private final AsyncStreamResponse<T> delegate;
    final InferenceCall call;
    /** The app's handler threw: the SDK then fails the stream with the app's exception, not the model's. */
    private volatile boolean handlerThrew;

    ObservedAsyncStream(AsyncStreamResponse<T> delegate, InferenceCall call) {
        this.delegate = delegate;
        this.call = call;
        delegate.onCompleteFuture().whenComplete((ignored, failure) -> finish(failure));
        LlmLens.endWhenUnreachable(this, call);
    }

    void finish(Throwable failure) {
        if (failure != null && !handlerThrew && !call.isEnded()) {
            AnthropicResponses.onError(call, LlmLens.causeOf(failure));
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
        public void onNext(T event) {
            owner.call.chunkSeen();
            AnthropicResponses.onEvent(owner.call, event);
            try {
                app.onNext(event);
            } catch (RuntimeException | Error e) {
                owner.handlerThrew = true;
                owner.call.incomplete = true;
                throw e;
            }
        }

        /** Ends the call before the app's handler runs: a close from inside it must not turn a failure into an early close. */
        @Override
        public void onComplete(Optional<Throwable> error) {
            owner.finish(error.orElse(null));
            app.onComplete(error);
        }
    }
}
