package dev.llmlens.instrumentation.anthropic.helper;

import com.anthropic.core.http.StreamResponse;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The app's {@link StreamResponse}, unchanged, with every event observed on its way to the app. The
 * call ends when the events run out, reading the next one fails, the app closes the response or the
 * Stream (early = incomplete, not an error), or the response is garbage collected without either.
 *
 * <p>Events are pulled through an {@link Iterator}, so the app's own code (its stream pipeline)
 * never runs inside this class: an exception there cannot be mistaken for the model's.
 */
final class ObservedStream<T> implements StreamResponse<T> {

    private final StreamResponse<T> delegate;
    final InferenceCall call;

    ObservedStream(StreamResponse<T> delegate, InferenceCall call) {
        this.delegate = delegate;
        this.call = call;
        LlmLens.endWhenUnreachable(this, call);
    }

    @Override
    public Stream<T> stream() {
        Stream<T> source = delegate.stream();
        Spliterator<T> events = Spliterators.spliteratorUnknownSize(new ObservingIterator<>(source.iterator(), this),
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(events, false).onClose(() -> LlmLens.endOnClose(call, source::close));
    }

    @Override
    public void close() {
        LlmLens.endOnClose(call, delegate::close);
    }

    static final class ObservingIterator<T> implements Iterator<T> {
        private final Iterator<T> source;
        /** Keeps the response reachable (so not "abandoned") while the app holds only the Stream. */
        private final ObservedStream<T> owner;

        ObservingIterator(Iterator<T> source, ObservedStream<T> owner) {
            this.source = source;
            this.owner = owner;
        }

        @Override
        public boolean hasNext() {
            boolean more;
            try {
                more = source.hasNext();
            } catch (RuntimeException | Error e) {
                // the SDK failed to read the next event: a cut connection, an SSE error event
                AnthropicResponses.onError(owner.call, e);
                LlmLens.end(owner.call);
                throw e;
            }
            if (!more) {
                LlmLens.end(owner.call);
            }
            return more;
        }

        @Override
        public T next() {
            T event = source.next();
            owner.call.chunkSeen();
            AnthropicResponses.onEvent(owner.call, event);
            return event;
        }
    }
}
