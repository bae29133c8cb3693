package dev.llmlens.instrumentation.testing;

import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Records what the helpers report; as a JUnit extension ({@code @RegisterExtension}) it is the
 * installed observer for the duration of each test. Ends are counted per operation, because the
 * facade's cleaner may end a stream abandoned by an earlier test on its own thread while a later test
 * runs. Nesting is recorded as the instrumentation produced it: each started operation's parent is
 * the one that was current (started and not yet left) on the same thread.
 */
public final class RecordingObserver implements CallObserver, BeforeEachCallback, AfterEachCallback {

    /** The operation's outcome as it was when it ended: fields written after the end must not count. */
    public record Ended(Operation operation, boolean incomplete, Throwable error, String errorType) {
        public InferenceCall call() {
            return (InferenceCall) operation;
        }
    }

    public record Failure(String module, Throwable error) {}

    public final List<Operation> started = new CopyOnWriteArrayList<>();
    public final List<Ended> ended = new CopyOnWriteArrayList<>();
    public final List<Failure> failures = new CopyOnWriteArrayList<>();
    public final List<Operation> leftWhileCurrent = new CopyOnWriteArrayList<>();
    private final java.util.Map<Operation, Operation> parents = new java.util.concurrent.ConcurrentHashMap<>();
    private final ThreadLocal<List<Operation>> current = ThreadLocal.withInitial(ArrayList::new);

    @Override
    public void beforeEach(ExtensionContext context) {
        LlmLens.install(this);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LlmLens.install(CallObserver.NOOP);
    }

    @Override
    public void onStart(Operation operation) {
        List<Operation> stack = current.get();
        if (!stack.isEmpty()) {
            parents.put(operation, stack.get(stack.size() - 1));
        }
        stack.add(operation);
        operation.scopeThread = Thread.currentThread();
        started.add(operation);
    }

    @Override
    public void onLeave(Operation operation) {
        List<Operation> stack = current.get();
        if (!stack.isEmpty() && stack.get(stack.size() - 1) == operation) {
            leftWhileCurrent.add(operation);
        }
        stack.remove(operation);
        operation.scopeThread = null;
    }

    @Override
    public void onEnd(Operation operation) {
        InferenceCall call = operation instanceof InferenceCall c ? c : null;
        ended.add(new Ended(operation, call != null && call.incomplete, operation.error, operation.errorType));
    }

    @Override
    public void onInstrumentationError(String module, Throwable error) {
        failures.add(new Failure(module, error));
    }

    /** The operation that was current on the starting thread when {@code operation} started, or null. */
    public Operation parentOf(Operation operation) {
        return parents.get(operation);
    }

    /** Whether the operation is still current on this thread (started here and not left). */
    public boolean isCurrent(Operation operation) {
        return current.get().contains(operation);
    }

    public <T extends Operation> List<T> started(Class<T> type) {
        return started.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<Ended> endsOf(Operation operation) {
        return ended.stream().filter(e -> e.operation() == operation).toList();
    }

    /** The single end of {@code operation}; fails the test if it ended never or more than once. */
    public Ended onlyEndOf(Operation operation) {
        List<Ended> ends = endsOf(operation);
        if (ends.size() != 1) {
            throw new AssertionError("expected the operation to end exactly once, but it ended " + ends.size() + " times");
        }
        return ends.get(0);
    }
}
