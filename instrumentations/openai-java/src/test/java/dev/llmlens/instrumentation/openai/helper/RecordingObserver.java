package dev.llmlens.instrumentation.openai.helper;

import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Records what the helpers report; as a JUnit extension ({@code @RegisterExtension}) it is the
 * installed observer for the duration of each test. Ends are counted per call, because the facade's cleaner may end a
 * stream abandoned by an earlier test on its own thread while a later test runs.
 */
final class RecordingObserver implements CallObserver, BeforeEachCallback, AfterEachCallback {

    /** The call's outcome as it was when it ended: fields written after the end must not count. */
    record Ended(InferenceCall call, boolean incomplete, Throwable error, String errorType) {}

    record Failure(String module, Throwable error) {}

    final List<InferenceCall> started = new CopyOnWriteArrayList<>();
    final List<Ended> ended = new CopyOnWriteArrayList<>();
    final List<Failure> failures = new CopyOnWriteArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        LlmLens.install(this);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LlmLens.install(CallObserver.NOOP);
    }

    @Override
    public void onStart(InferenceCall call) {
        started.add(call);
    }

    @Override
    public void onEnd(InferenceCall call) {
        ended.add(new Ended(call, call.incomplete, call.error, call.errorType));
    }

    @Override
    public void onInstrumentationError(String module, Throwable error) {
        failures.add(new Failure(module, error));
    }

    List<Ended> endsOf(InferenceCall call) {
        return ended.stream().filter(e -> e.call() == call).toList();
    }

    /** The single end of {@code call}; fails the test if it ended never or more than once. */
    Ended onlyEndOf(InferenceCall call) {
        List<Ended> ends = endsOf(call);
        if (ends.size() != 1) {
            throw new AssertionError("expected the call to end exactly once, but it ended " + ends.size() + " times");
        }
        return ends.get(0);
    }
}
