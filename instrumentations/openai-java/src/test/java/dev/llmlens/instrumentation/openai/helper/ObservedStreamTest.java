package dev.llmlens.instrumentation.openai.helper;

import dev.llmlens.instrumentation.testing.RecordingObserver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.errors.OpenAIIoException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmlens.bootstrap.InferenceCall;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ObservedStreamTest {

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();
    private final InferenceCall call = new InferenceCall("openai-java", "openai", "chat");

    private static final List<ChatCompletionChunk> CHUNKS = List.of(
            Sdk.chunk("gpt-4o-mini", "Hel", null),
            Sdk.chunk("gpt-4o-mini", "lo", null),
            Sdk.chunk("gpt-4o-mini", "", "stop"),
            Sdk.usageChunk());


    @Test
    void drainedStreamEndsOnceCompleteWithFirstChunkTime() {
        var source = new FakeStreamResponse<>(CHUNKS);
        List<ChatCompletionChunk> seen = new ArrayList<>();

        try (var observed = new ObservedStream<>(source, call)) {
            observed.stream().forEach(seen::add);
            // ends on exhaustion, not only at close
            assertEquals(1, observer.endsOf(call).size());
        }

        assertEquals(CHUNKS, seen, "the app gets the SDK's chunks unchanged");
        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertFalse(end.incomplete());
        assertNull(end.error());
        assertTrue(call.firstChunkNanos != 0 && call.firstChunkNanos <= call.endNanos);
        assertEquals(List.of("stop"), call.finishReasons);
        assertEquals(12, call.inputTokens);
        assertEquals(1, source.closes, "close reaches the SDK's stream");
    }

    @Test
    void closedAfterOneChunkIsIncompleteNotAnError() {
        var source = new FakeStreamResponse<>(CHUNKS);
        var observed = new ObservedStream<>(source, call);

        Iterator<ChatCompletionChunk> chunks = observed.stream().iterator();
        assertSame(CHUNKS.get(0), chunks.next());
        assertTrue(observer.endsOf(call).isEmpty(), "still open while the app reads");
        observed.close();
        observed.close();

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertTrue(end.incomplete());
        assertNull(end.error());
        assertEquals("chatcmpl-s1", call.responseId, "what was seen is kept");
        assertEquals(-1, call.inputTokens);
        assertEquals(2, source.closes);
    }

    @Test
    void closingTheJavaStreamEndsTheCallLikeClosingTheResponse() {
        var observed = new ObservedStream<>(new FakeStreamResponse<>(CHUNKS), call);

        try (Stream<ChatCompletionChunk> chunks = observed.stream()) {
            assertSame(CHUNKS.get(0), chunks.iterator().next());
            assertTrue(observer.endsOf(call).isEmpty(), "still open while the app reads");
        }

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertTrue(end.incomplete());
        assertNull(end.error());
    }

    @Test
    void sourceFailureEndsWithTheErrorAndReachesTheAppUnchanged() {
        var failure = new OpenAIIoException("connection reset", null);
        var observed = new ObservedStream<>(new FakeStreamResponse<>(CHUNKS.subList(0, 2), failure), call);
        List<ChatCompletionChunk> seen = new ArrayList<>();

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> observed.stream().forEach(seen::add));

        assertSame(failure, thrown);
        assertEquals(2, seen.size());
        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertSame(failure, end.error());
        assertFalse(end.incomplete());

        observed.close();
        assertEquals(1, observer.endsOf(call).size(), "close after the failure does not end again");
    }

    @Test
    void appConsumerFailureIsTheAppsAndLeavesTheCallIncompleteWithoutError() {
        var observed = new ObservedStream<>(new FakeStreamResponse<>(CHUNKS), call);
        var appFailure = new IllegalStateException("app bug");

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> observed.stream().forEach(chunk -> {
            throw appFailure;
        }));

        assertSame(appFailure, thrown);
        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertTrue(end.incomplete());
        assertNull(end.error());
        assertTrue(call.firstChunkNanos != 0, "the chunk did reach the app");
        observed.close();
        assertEquals(1, observer.endsOf(call).size());
    }

    @Test
    void worksWithLimitMapAndCollect() {
        var observed = new ObservedStream<>(new FakeStreamResponse<>(CHUNKS), call);

        List<String> firstTwo = observed.stream()
                .map(chunk -> chunk.choices().get(0).delta().content().orElse(""))
                .limit(2)
                .collect(Collectors.toList());

        assertEquals(List.of("Hel", "lo"), firstTwo);
        assertTrue(observer.endsOf(call).isEmpty(), "limit stopped early: the stream is not exhausted");
        observed.close();
        assertTrue(observer.onlyEndOf(call).incomplete());
    }

    @Test
    void limitBeyondTheEndDrainsTheStream() {
        var observed = new ObservedStream<>(new FakeStreamResponse<>(CHUNKS), call);

        long count = observed.stream().limit(10).count();

        assertEquals(CHUNKS.size(), count);
        assertFalse(observer.onlyEndOf(call).incomplete());
        observed.close();
        assertEquals(1, observer.endsOf(call).size());
    }

    @Test
    void exitWrapsABlockingStreamAndEndsOnlyWhenItIsDone() {
        InferenceCall started = OpenAiHooks.enter(
                ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build(),
                Sdk.options("https://api.openai.com/v1").build(), "createStreaming");
        var source = new FakeStreamResponse<>(CHUNKS);

        Object returned = OpenAiHooks.exit(started, source, null);

        assertTrue(started.stream);
        assertTrue(returned instanceof ObservedStream<?>);
        assertTrue(observer.endsOf(started).isEmpty(), "a stream does not end at method exit");
        try (var stream = (ObservedStream<?>) returned) {
            assertEquals(CHUNKS.size(), stream.stream().count());
        }
        assertFalse(observer.onlyEndOf(started).incomplete());
        assertEquals(1, source.closes);
    }
}
