package dev.llmlens.instrumentation.openai.helper;

import com.openai.core.http.StreamResponse;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The app's {@link StreamResponse}, unchanged, with every chunk observed on its way to the app. The
 * call ends when the stream is drained, fails, is closed (early = incomplete, not an error) or is
 * garbage collected without either.
 */
final class ObservedStream<T> implements StreamResponse<T> {

    private final StreamResponse<T> delegate;
    private final InferenceCall call;

    ObservedStream(StreamResponse<T> delegate, InferenceCall call) {
        this.delegate = delegate;
        this.call = call;
        LlmLens.endWhenUnreachable(this, call);
    }

    @Override
    public Stream<T> stream() {
        Stream<T> source = delegate.stream();
        // closing the Stream (try-with-resources on stream()) ends the call like closing the response
        return StreamSupport.stream(new ObservingSpliterator<>(source.spliterator(), this), false)
                .onClose(() -> LlmLens.endOnClose(call, source::close));
    }

    @Override
    public void close() {
        LlmLens.endOnClose(call, delegate::close);
    }

    static final class ObservingSpliterator<T> implements Spliterator<T>, Consumer<T> {
        private final Spliterator<T> source;
        // keeps the response reachable while the app holds only the java.util.stream.Stream
        private final ObservedStream<T> owner;
        private Consumer<? super T> appAction;
        private boolean appFailed;

        ObservingSpliterator(Spliterator<T> source, ObservedStream<T> owner) {
            this.source = source;
            this.owner = owner;
        }

        @Override
        public boolean tryAdvance(Consumer<? super T> action) {
            appAction = action;
            boolean advanced;
            try {
                advanced = source.tryAdvance(this);
            } catch (RuntimeException | Error e) {
                if (appFailed) {
                    owner.call.incomplete = true;
                    LlmLens.end(owner.call);
                } else {
                    OpenAiResponses.onError(owner.call, e);
                    LlmLens.end(owner.call);
                }
                throw e;
            }
            if (!advanced) {
                LlmLens.end(owner.call);
            }
            return advanced;
        }

        @Override
        public void accept(T chunk) {
            InferenceCall call = owner.call;
            call.chunkSeen();
            OpenAiResponses.onChunk(call, chunk);
            appFailed = true;
            appAction.accept(chunk);
            appFailed = false;
        }

        @Override
        public Spliterator<T> trySplit() {
            return null;
        }

        @Override
        public long estimateSize() {
            return source.estimateSize();
        }

        @Override
        public int characteristics() {
            return source.characteristics() & ~(SIZED | SUBSIZED);
        }
    }
}
