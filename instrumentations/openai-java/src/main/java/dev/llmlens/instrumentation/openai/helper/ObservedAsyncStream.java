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

    ObservedAsyncStream(AsyncStreamResponse<T> delegate, InferenceCall call) {
        this.delegate = delegate;
        this.call = call;
        delegate.onCompleteFuture().whenComplete((ignored, failure) -> {
            if (failure != null && !call.incomplete) {
                OpenAiResponses.onError(call, OpenAiHooks.unwrap(failure));
            }
            LlmLens.end(call);
        });
        LlmLens.endWhenUnreachable(this, call);
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
        if (!call.isEnded()) {
            call.incomplete = true;
        }
        try {
            delegate.close();
        } finally {
            LlmLens.end(call);
        }
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
            app.onNext(chunk);
        }

        @Override
        public void onComplete(Optional<Throwable> error) {
            app.onComplete(error);
        }
    }
}
