package dev.llmlens.instrumentation.openai.helper;

import com.openai.core.http.AsyncStreamResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** The SDK's async stream contract; the test pushes chunks and completes the future itself. */
final class FakeAsyncStreamResponse<T> implements AsyncStreamResponse<T> {

    final CompletableFuture<Void> completion = new CompletableFuture<>();
    Handler<? super T> handler;
    Executor executor;
    int closes;

    @Override
    public AsyncStreamResponse<T> subscribe(Handler<? super T> handler) {
        this.handler = handler;
        return this;
    }

    @Override
    public AsyncStreamResponse<T> subscribe(Handler<? super T> handler, Executor executor) {
        this.executor = executor;
        return subscribe(handler);
    }

    @Override
    public CompletableFuture<Void> onCompleteFuture() {
        return completion;
    }

    @Override
    public void close() {
        closes++;
    }

    void emit(T chunk) {
        handler.onNext(chunk);
    }

    /** Like the SDK: the handler hears about the end before the future completes. */
    void finish(Throwable error) {
        handler.onComplete(Optional.ofNullable(error));
        if (error == null) {
            completion.complete(null);
        } else {
            completion.completeExceptionally(error);
        }
    }
}
