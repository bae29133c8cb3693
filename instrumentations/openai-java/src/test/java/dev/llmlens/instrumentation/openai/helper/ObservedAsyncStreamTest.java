package dev.llmlens.instrumentation.openai.helper;

import dev.llmlens.instrumentation.testing.RecordingObserver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.AsyncStreamResponseKt;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmlens.bootstrap.InferenceCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ObservedAsyncStreamTest {

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();
    private final InferenceCall call = new InferenceCall("openai-java", "openai", "chat");


    /** What the app's handler saw, in order, including how it completed. */
    private static class AppHandler<T> implements AsyncStreamResponse.Handler<T> {
        final List<T> chunks = new ArrayList<>();
        final List<Optional<Throwable>> completions = new ArrayList<>();

        @Override
        public void onNext(T chunk) {
            chunks.add(chunk);
        }

        @Override
        public void onComplete(Optional<Throwable> error) {
            completions.add(error);
        }
    }

    @Test
    void chunksReachTheAppAndAreObservedCompletionEndsTheCall() {
        var source = new FakeAsyncStreamResponse<ChatCompletionChunk>();
        var observed = new ObservedAsyncStream<>(source, call);
        var app = new AppHandler<ChatCompletionChunk>();
        ChatCompletionChunk first = Sdk.chunk("gpt-4o-mini", "Hi", null);

        assertSame(observed, observed.subscribe(app), "subscribe chains on the wrapper the app holds");
        source.emit(first);
        source.emit(Sdk.chunk("gpt-4o-mini", "", "stop"));
        source.emit(Sdk.usageChunk());

        assertEquals(3, app.chunks.size());
        assertSame(first, app.chunks.get(0));
        assertTrue(observer.endsOf(call).isEmpty(), "chunks alone do not end the call");
        assertTrue(call.firstChunkNanos != 0);

        source.finish(null);

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertFalse(end.incomplete());
        assertNull(end.error());
        assertEquals(List.of(Optional.empty()), app.completions);
        assertEquals("chatcmpl-s1", call.responseId);
        assertEquals(List.of("stop"), call.finishReasons);
        assertEquals(12, call.inputTokens);
        assertTrue(call.firstChunkNanos <= call.endNanos);
    }

    @Test
    void subscribeWithExecutorIsPassedOn() {
        var source = new FakeAsyncStreamResponse<ChatCompletionChunk>();
        var observed = new ObservedAsyncStream<>(source, call);
        var app = new AppHandler<ChatCompletionChunk>();
        Executor direct = Runnable::run;

        observed.subscribe(app, direct);
        source.emit(Sdk.chunk("gpt-4o-mini", "Hi", null));

        assertSame(direct, source.executor);
        assertEquals(1, app.chunks.size());
        assertEquals("chatcmpl-s1", call.responseId);
        source.finish(null);
    }

    @Test
    void exceptionalCompletionSetsTheError() {
        var source = new FakeAsyncStreamResponse<ChatCompletionChunk>();
        var observed = new ObservedAsyncStream<>(source, call);
        var app = new AppHandler<ChatCompletionChunk>();
        RateLimitException failure = Sdk.rateLimit();

        observed.subscribe(app);
        source.finish(failure);

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertSame(failure, end.error());
        assertEquals(429, call.httpStatus);
        assertEquals(List.of(Optional.of(failure)), app.completions);
        assertSame(source.completion, observed.onCompleteFuture());
        assertTrue(observed.onCompleteFuture().isCompletedExceptionally(), "the app sees the SDK's outcome");
    }

    @Test
    void closingFromTheAppsOnCompleteKeepsTheFailure() {
        var source = new FakeAsyncStreamResponse<ChatCompletionChunk>();
        var observed = new ObservedAsyncStream<>(source, call);
        RateLimitException failure = Sdk.rateLimit();
        // a common pattern: release resources as soon as the SDK reports the end
        observed.subscribe(new AppHandler<>() {
            @Override
            public void onComplete(Optional<Throwable> error) {
                observed.close();
            }
        });

        source.finish(failure);

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertSame(failure, end.error());
        assertFalse(end.incomplete(), "the stream failed; the close came after its end");
    }

    @Test
    void theAppsOwnHandlerFailureIsNotTheModelCallsError() {
        var source = new FakeAsyncStreamResponse<ChatCompletionChunk>();
        var observed = new ObservedAsyncStream<>(source, call);
        IllegalStateException appBug = new IllegalStateException("app bug");
        observed.subscribe(new AppHandler<>() {
            @Override
            public void onNext(ChatCompletionChunk chunk) {
                throw appBug;
            }
        });

        assertSame(appBug, assertThrows(IllegalStateException.class,
                () -> source.emit(Sdk.chunk("gpt-4o-mini", "Hi", null))));
        // the SDK then fails its future with the handler's exception
        source.completion.completeExceptionally(appBug);

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertTrue(end.incomplete());
        assertNull(end.error());
    }

    @Test
    void closeBeforeCompletionIsIncompleteAndEndsOnce() {
        var source = new FakeAsyncStreamResponse<ChatCompletionChunk>();
        var observed = new ObservedAsyncStream<>(source, call);
        observed.subscribe(new AppHandler<>());
        source.emit(Sdk.chunk("gpt-4o-mini", "Hi", null));

        observed.close();
        // the SDK may then fail or complete the future: neither ends the call again nor makes it an error
        source.completion.completeExceptionally(new IllegalStateException("stream closed"));

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertTrue(end.incomplete());
        assertNull(end.error());
        assertNull(call.error);
        assertEquals(1, source.closes);
    }

    @Test
    void endsWithTheFutureEvenIfTheAppNeverSubscribes() {
        var source = new FakeAsyncStreamResponse<ResponseStreamEvent>();
        new ObservedAsyncStream<>(source, call);

        source.completion.complete(null);

        assertFalse(observer.onlyEndOf(call).incomplete());
    }

    @Test
    void exitWrapsAnAsyncStream() {
        InferenceCall started = OpenAiHooks.enter(
                ResponseCreateParams.builder().model("gpt-4.1").input("hi").build(),
                null, "createStreaming");
        var source = new FakeAsyncStreamResponse<ResponseStreamEvent>();

        Object returned = OpenAiHooks.exit(started, source, null);

        assertInstanceOf(ObservedAsyncStream.class, returned);
        assertTrue(observer.endsOf(started).isEmpty());
        ((ObservedAsyncStream<?>) returned).subscribe(new AppHandler<>());
        source.emit(Sdk.event("response.completed", 5,
                "\"response\":" + Sdk.responseJson("\"status\":\"completed\"," + Sdk.RESPONSE_USAGE)));
        source.finish(null);

        assertFalse(observer.onlyEndOf(started).incomplete());
        assertEquals(70, started.outputTokens);
    }
    @Test
    void realSdkAsyncStreamFailingWithHttpErrorRecordsTheSdkException() throws Exception {
        // the SDK builds its async stream as `rawFuture.thenApply(parse).toAsync(executor)`: an HTTP error
        // thrown while parsing reaches onCompleteFuture wrapped in a CompletionException
        CompletableFuture<StreamResponse<ChatCompletionChunk>> http = new CompletableFuture<>();
        RateLimitException failure = Sdk.rateLimit();
        CompletableFuture<StreamResponse<ChatCompletionChunk>> parsed = http.thenApply(response -> {
            throw failure;
        });
        // toAsync is the SDK's own (Kotlin-synthetic, so javac cannot see it) adapter
        @SuppressWarnings("unchecked")
        AsyncStreamResponse<ChatCompletionChunk> sdkStream = (AsyncStreamResponse<ChatCompletionChunk>) AsyncStreamResponseKt.class
                .getMethod("toAsync", CompletableFuture.class, Executor.class)
                .invoke(null, parsed, (Executor) Runnable::run);
        var observed = new ObservedAsyncStream<>(sdkStream, call);
        observed.subscribe(new AppHandler<>());

        http.complete(new FakeStreamResponse<>(List.of()));

        assertSame(failure, observer.onlyEndOf(call).error());
        assertEquals(429, call.httpStatus);
    }
}
