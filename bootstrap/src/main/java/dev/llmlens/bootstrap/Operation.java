package dev.llmlens.bootstrap;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Something the app did that becomes one span: a model call, a tool execution or an agent run. Fields
 * are public because each is a plain record written by one instrumentation and read by the agent;
 * {@code null} means "the library did not tell us".
 */
public abstract class Operation {

    /** The instrumentation module that produced this operation, for the agent's own error accounting. */
    public final String module;

    public final long startEpochNanos;
    public final long startNanos;
    public long endNanos;
    public Throwable error;
    /** A failure reported in-band (e.g. a failed stream event, a rejected tool argument) when there is no exception. */
    public String errorType;

    /** The agent's per-operation state (a span); opaque outside the agent. */
    public volatile Object agentState;

    /**
     * While the hooked method runs, the operation is the current context on its thread, so what it
     * does (a tool calling a model, a tool loop's round trips) nests under it. Set and cleared by the
     * agent; only the thread that started the operation may leave it.
     */
    public volatile Object scope;
    public volatile Thread scopeThread;

    /**
     * The enclosing operation, when the library runs this one on a thread where it is not current (an
     * async tool loop): the agent nests under it instead of under whatever is current.
     */
    public Operation parent;

    /**
     * Whether the hooked method that started this operation can be stopped before it runs (its advice
     * is wrapped by the refusal gate and the operation started inside that window). Set by
     * {@link LlmLens#start} before the observer sees the operation.
     */
    public boolean refusable;
    /**
     * What the observer decided to throw instead of running the hooked method (a blocking budget, an
     * injected tool failure); only ever set on a refusable operation.
     */
    public RuntimeException refusal;

    private final AtomicBoolean ended = new AtomicBoolean();

    protected Operation(String module) {
        this.module = module;
        this.startNanos = System.nanoTime();
        // microseconds where the OS clock has them: with whole milliseconds, a child could seem to start
        // before its parent, or end after it
        Instant now = Instant.now();
        this.startEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** True exactly once: the caller that wins ends the operation. */
    boolean markEnded() {
        if (ended.compareAndSet(false, true)) {
            endNanos = System.nanoTime();
            return true;
        }
        return false;
    }

    public boolean isEnded() {
        return ended.get();
    }
}
