package dev.llmlens.bootstrap;

/** What the agent plugs into {@link LlmLens}. Implementations must never throw. */
public interface CallObserver {

    void onStart(InferenceCall call);

    void onEnd(InferenceCall call);

    /** An instrumentation met something it did not expect; it recorded less and the app went on. */
    void onInstrumentationError(String module, Throwable error);

    CallObserver NOOP = new CallObserver() {
        @Override public void onStart(InferenceCall call) {}
        @Override public void onEnd(InferenceCall call) {}
        @Override public void onInstrumentationError(String module, Throwable error) {}
    };
}
