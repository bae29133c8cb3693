package dev.llmlens.instrumentation.openai.helper;

import dev.llmlens.instrumentation.testing.RecordingObserver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.llmlens.bootstrap.InferenceCall;
import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ObservedRawStreamTest {

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();
    private final InferenceCall call = new InferenceCall("openai-java", "openai", "chat");

    /** withRawResponse().createStreaming(..): headers now, the stream when the app parses. */
    private static final class FakeRaw implements HttpResponseFor<StreamResponse<ChatCompletionChunk>> {
        final Supplier<StreamResponse<ChatCompletionChunk>> parse;
        int closes;

        FakeRaw(Supplier<StreamResponse<ChatCompletionChunk>> parse) {
            this.parse = parse;
        }

        @Override public StreamResponse<ChatCompletionChunk> parse() { return parse.get(); }
        @Override public int statusCode() { return 200; }
        @Override public Headers headers() { return Headers.builder().build(); }
        @Override public InputStream body() { return InputStream.nullInputStream(); }
        @Override public void close() { closes++; }
    }

    @Test
    void theCallEndsWithTheParsedStreamNotWithTheHeaders() {
        call.stream = true;
        var raw = new FakeRaw(() -> new FakeStreamResponse<>(List.of(
                Sdk.chunk("gpt-4o-mini", "Hi", "stop"), Sdk.usageChunk())));
        @SuppressWarnings("unchecked")
        var observed = (HttpResponseFor<StreamResponse<ChatCompletionChunk>>) OpenAiHooks.exit(call, raw, null);

        assertEquals(200, observed.statusCode());
        assertTrue(observer.endsOf(call).isEmpty(), "headers alone do not end the call");
        assertEquals(2, observed.parse().stream().count());

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertEquals(false, end.incomplete());
        assertTrue(call.inputTokens > 0, "usage from the stream's last chunk");
        assertTrue(call.firstChunkNanos > 0);
    }

    @Test
    void closedWithoutReadingIsIncomplete() {
        call.stream = true;
        var raw = new FakeRaw(() -> { throw new AssertionError("not parsed"); });
        var observed = (HttpResponseFor<?>) OpenAiHooks.exit(call, raw, null);

        observed.close();

        assertTrue(observer.onlyEndOf(call).incomplete());
        assertNull(call.error);
        assertEquals(1, raw.closes);
    }

    @Test
    void aParseFailureIsTheCallsError() {
        call.stream = true;
        IllegalStateException failure = new IllegalStateException("broken body");
        var observed = (HttpResponseFor<?>) OpenAiHooks.exit(call, new FakeRaw(() -> { throw failure; }), null);

        assertSame(failure, assertThrows(IllegalStateException.class, observed::parse));
        assertSame(failure, observer.onlyEndOf(call).error());
    }

    @Test
    void aNonStreamingRawResponseStillEndsAtReturn() {
        var raw = new FakeRaw(() -> { throw new AssertionError("not parsed by the agent"); });
        assertSame(raw, OpenAiHooks.exit(call, raw, null));
        assertEquals(1, observer.endsOf(call).size());
    }
}
