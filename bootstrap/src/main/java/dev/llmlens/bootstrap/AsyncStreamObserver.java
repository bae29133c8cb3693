package dev.llmlens.bootstrap;

/**
 * The rules an async stream wrapper follows, whatever SDK interfaces it implements (openai-java and
 * anthropic-java share the same Stainless shape under different packages): observe each event
 * before the app's handler, tell the app's own failure from the model's, and end the call once when
 * the SDK completes the stream. No method throws.
 */
public final class AsyncStreamObserver {

    /** Reads one event (chunk) into the call: ids, usage, finish reasons. */
    public interface EventReader {
        void read(InferenceCall call, Object event);
    }

    /** Records a failure of the stream on the call: error type, HTTP status. */
    public interface ErrorReader {
        void read(InferenceCall call, Throwable error);
    }

    private final InferenceCall call;
    private final String module;
    private final EventReader events;
    private final ErrorReader errors;
    private volatile boolean appFailed;

    public AsyncStreamObserver(InferenceCall call, String module, EventReader events, ErrorReader errors) {
        this.call = call;
        this.module = module;
        this.events = events;
        this.errors = errors;
    }

    public InferenceCall call() {
        return call;
    }

    /** Before the app's handler gets {@code event}. */
    public void beforeApp(Object event) {
        try {
            call.chunkSeen();
            events.read(call, event);
        } catch (Throwable t) {
            LlmLens.instrumentationError(module, t);
        }
    }

    /**
     * The app's handler threw: the SDK will fail the stream with the app's exception, which is not the
     * model's failure. The call ends as incomplete.
     */
    public void appFailed() {
        appFailed = true;
        call.incomplete = true;
    }

    /**
     * The SDK completed the stream, from its handler's completion or its completion future, whichever
     * comes first (the handler's runs before the app's own, so a close from inside it cannot turn a
     * failure into an early close).
     */
    public void completed(Throwable failure) {
        try {
            if (failure != null && !appFailed && !call.isEnded()) {
                errors.read(call, LlmLens.causeOf(failure));
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(module, t);
        }
        LlmLens.end(call);
    }
}
