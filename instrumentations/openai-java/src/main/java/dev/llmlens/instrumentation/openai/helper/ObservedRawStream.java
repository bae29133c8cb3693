package dev.llmlens.instrumentation.openai.helper;

import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.io.InputStream;
import java.util.Optional;

/**
 * {@code withRawResponse().createStreaming(..)}: the headers are there when the method returns, the
 * model's answer only when the app parses and reads the stream. The call ends with that stream, or
 * when the app closes the raw response without reading it.
 */
final class ObservedRawStream<T> implements HttpResponseFor<T> {

    private final HttpResponseFor<T> delegate;
    private final InferenceCall call;

    ObservedRawStream(HttpResponseFor<T> delegate, InferenceCall call) {
        this.delegate = delegate;
        this.call = call;
        LlmLens.endWhenUnreachable(this, call);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T parse() {
        T parsed;
        try {
            parsed = delegate.parse();
        } catch (RuntimeException | Error e) {
            OpenAiResponses.onError(call, e);
            LlmLens.end(call);
            throw e;
        }
        return parsed instanceof StreamResponse<?> stream ? (T) new ObservedStream<>(stream, call) : parsed;
    }

    @Override
    public int statusCode() {
        return delegate.statusCode();
    }

    @Override
    public Headers headers() {
        return delegate.headers();
    }

    @Override
    public Optional<String> requestId() {
        return delegate.requestId();
    }

    @Override
    public InputStream body() {
        return delegate.body();
    }

    @Override
    public void close() {
        LlmLens.endOnClose(call, delegate::close);
    }
}
