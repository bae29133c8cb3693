package dev.llmlens.instrumentation.openai.helper;

import com.openai.core.http.StreamResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The SDK's blocking stream contract, backed by a list; optionally fails after the last chunk. */
final class FakeStreamResponse<T> implements StreamResponse<T> {

    private final List<T> chunks;
    private final RuntimeException failure;
    int pulled;
    int closes;

    FakeStreamResponse(List<T> chunks) {
        this(chunks, null);
    }

    /** @param failure thrown when the consumer asks for the chunk after the last one, like a dropped connection */
    FakeStreamResponse(List<T> chunks, RuntimeException failure) {
        this.chunks = chunks;
        this.failure = failure;
    }

    @Override
    public Stream<T> stream() {
        Iterator<T> iterator = new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (pulled == chunks.size() && failure != null) {
                    throw failure;
                }
                return pulled < chunks.size();
            }

            @Override
            public T next() {
                return chunks.get(pulled++);
            }
        };
        // unsized and lazy, like the SDK's sequence-backed stream
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, 0), false);
    }

    @Override
    public void close() {
        closes++;
    }
}
