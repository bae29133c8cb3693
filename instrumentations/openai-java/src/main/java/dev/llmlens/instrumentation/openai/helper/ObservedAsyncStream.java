package dev.llmlens.instrumentation.openai.helper;

import com.openai.core.http.AsyncStreamResponse;
import dev.llmlens.bootstrap.AsyncStreamObserver;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The app's {@link AsyncStreamResponse} with each event observed before the app's handler sees it.
 * The call ends with the SDK's completion future, whether or not the app subscribes; the rules live
 * in {@link AsyncStreamObserver}, this class only adapts the SDK's interfaces to it.
 */
final class ObservedAsyncStream<T> implements AsyncStreamResponse<T> {

    private final AsyncStreamResponse<T> delegate;
    final AsyncStreamObserver observer;

    ObservedAsyncStream(AsyncStreamResponse<T> delegate, InferenceCall call) {
        this.delegate = delegate;
        this.observer = new AsyncStreamObserver(call, OpenAiHooks.MODULE, OpenAiResponses::onChunk, OpenAiResponses::onError);
        // ends the call when nobody subscribed (or the app only waits on this future)
        delegate.onCompleteFuture().whenComplete((ignored, failure) -> observer.completed(failure));
        LlmLens.endWhenUnreachable(this, call);
    }

    @Override
    public AsyncStreamResponse<T> subscribe(Handler<? super T> handler) {
        delegate.subscribe(new ObservingHandler<>(handler, observer));
        return this;
    }

    @Override
    public AsyncStreamResponse<T> subscribe(Handler<? super T> handler, Executor executor) {
        delegate.subscribe(new ObservingHandler<>(handler, observer), executor);
        return this;
    }

    @Override
    public CompletableFuture<Void> onCompleteFuture() {
        return delegate.onCompleteFuture();
    }

    @Override
    public void close() {
        LlmLens.endOnClose(observer.call(), delegate::close);
    }

    static final class ObservingHandler<T> implements Handler<T> {
        private final Handler<? super T> app;
        private final AsyncStreamObserver observer;

        ObservingHandler(Handler<? super T> app, AsyncStreamObserver observer) {
            this.app = app;
            this.observer = observer;
        }

        @Override
        public void onNext(T event) {
            observer.beforeApp(event);
            try {
                app.onNext(event);
            } catch (RuntimeException | Error e) {
                observer.appFailed();
                throw e;
            }
        }

        @Override
        public void onComplete(Optional<Throwable> error) {
            observer.completed(error.orElse(null));
            app.onComplete(error);
        }
    }
}
