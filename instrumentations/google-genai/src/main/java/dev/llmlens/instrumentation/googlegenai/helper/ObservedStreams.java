package dev.llmlens.instrumentation.googlegenai.helper;

import com.google.genai.types.GenerateContentResponse;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.Collections;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.WeakHashMap;

/**
 * The calls of the ResponseStreams the app holds. ResponseStream is a class the SDK itself extends
 * with chat history, so it is observed in place (its iterator and close are hooked) rather than
 * wrapped. Keys are weak and ResponseStream keeps Object's identity equality, so an abandoned stream
 * leaves the map when it is collected, and its call is ended by the facade's cleaner.
 */
final class ObservedStreams {

    private static final Map<Object, InferenceCall> CALLS = Collections.synchronizedMap(new WeakHashMap<>());

    private ObservedStreams() {}

    static void register(Object stream, InferenceCall call) {
        CALLS.put(stream, call);
        LlmLens.endWhenUnreachable(stream, call);
    }

    static void advanced(Object stream, Object chunk, Throwable error) {
        InferenceCall call = CALLS.get(stream);
        if (call == null) {
            return;
        }
        if (error != null) {
            // next() past the end is the app's mistake, not the model's
            if (!(error instanceof NoSuchElementException)) {
                GenAiResponses.onError(call, error);
            }
            finish(stream, call);
            return;
        }
        call.chunkSeen();
        if (chunk instanceof GenerateContentResponse response) {
            GenAiResponses.onResponse(call, response);
        }
    }

    static void checked(Object stream, boolean hasNext, Throwable error) {
        if (error == null && hasNext) {
            return;
        }
        InferenceCall call = CALLS.get(stream);
        if (call == null) {
            return;
        }
        if (error != null) {
            GenAiResponses.onError(call, error);
        }
        finish(stream, call);
    }

    /** Closing before the end is not an error: the call ends incomplete with what was seen. */
    static void closed(Object stream) {
        InferenceCall call = CALLS.remove(stream);
        if (call != null) {
            LlmLens.endOnClose(call, () -> {});
        }
    }

    private static void finish(Object stream, InferenceCall call) {
        CALLS.remove(stream);
        LlmLens.end(call);
    }
}
