package dev.llmlens.bootstrap;

/** What the agent plugs into {@link LlmLens}. Implementations must never throw. */
public interface CallObserver {

    /** Starts the operation's span and makes it current on this thread until {@link #onLeave}. */
    void onStart(Operation operation);

    /** The hooked method returned on the thread that started the operation (which may go on, e.g. a stream). */
    void onLeave(Operation operation);

    void onEnd(Operation operation);

    /** An instrumentation met something it did not expect; it recorded less and the app went on. */
    void onInstrumentationError(String module, Throwable error);

    /** The W3C traceparent of a started operation's span, to send along a remote call; null if none. */
    default String traceparent(Operation operation) {
        return null;
    }

    CallObserver NOOP = new CallObserver() {
        @Override public void onStart(Operation operation) {}
        @Override public void onLeave(Operation operation) {}
        @Override public void onEnd(Operation operation) {}
        @Override public void onInstrumentationError(String module, Throwable error) {}
    };
}
