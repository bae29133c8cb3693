package dev.llmlens.bootstrap;

import java.lang.ref.Cleaner;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The one door between instrumentation helpers (living in the app's class loaders) and the agent
 * (living in its own world). Until the agent installs an observer every method is a no-op, and no
 * method ever throws into the caller.
 */
public final class LlmLens {

    private static volatile CallObserver observer = CallObserver.NOOP;
    private static volatile boolean capturesContent;
    private static volatile boolean refusals;
    /** Marks a thread inside a hooked method's enter advice, where what starts may still be refused. */
    private static final Object REFUSAL_WINDOW = new Object();
    private static final ThreadLocal<Object> REFUSAL = new ThreadLocal<>();
    private static final Cleaner ABANDONED_STREAMS = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "llmlens-stream-reaper");
        thread.setDaemon(true);
        return thread;
    });

    private LlmLens() {}

    public static void install(CallObserver newObserver) {
        observer = newObserver == null ? CallObserver.NOOP : newObserver;
    }

    /** Turned on by the agent when the user opted in to content capture; fixed for the JVM's life. */
    public static void captureContent(boolean on) {
        capturesContent = on;
    }

    /**
     * Whether getters should copy prompts, answers, tool definitions and tool arguments/results into the
     * neutral model. Off by default: when off, no content is ever read, so none can leak or cost time.
     */
    public static boolean capturesContent() {
        return capturesContent;
    }

    /**
     * Turned on by the agent when a feature may stop a hooked method before it runs (a blocking cost
     * budget, tool fault injection); while off, the refusal gate costs one volatile read per call.
     */
    public static void allowRefusals(boolean on) {
        refusals = on;
    }

    /**
     * Outermost advice of a hooked method: the operations its own advice starts next may be refused.
     * The window closes at {@link #takeRefusal}, the innermost advice, before the method's body runs.
     */
    public static void openRefusalWindow() {
        if (refusals) {
            REFUSAL.set(REFUSAL_WINDOW);
        }
    }

    /** @return what to throw instead of running the hooked method's body, or null to run it */
    public static RuntimeException takeRefusal() {
        if (!refusals) {
            return null;
        }
        Object refusal = REFUSAL.get();
        if (refusal == null) {
            return null;
        }
        REFUSAL.remove();
        return refusal instanceof RuntimeException exception ? exception : null;
    }

    /** Starts {@code operation} as a child of the current one and makes it current until {@link #leave}. */
    public static void start(Operation operation) {
        try {
            Object window = refusals ? REFUSAL.get() : null;
            operation.refusable = window == REFUSAL_WINDOW;
            observer.onStart(operation);
            if (operation.refusable && operation.refusal != null) {
                REFUSAL.set(operation.refusal);
            }
        } catch (Throwable ignored) {
            // the observer already counts its own failures; nothing may reach the app
        }
    }

    /** Starts a tool execution: what a hook on the tool's own method needs, in one call. */
    public static ToolCall startTool(String module, String toolName) {
        ToolCall tool = new ToolCall(module, toolName);
        start(tool);
        return tool;
    }

    /**
     * The W3C {@code traceparent} header of a started operation, for a library that carries trace
     * context in its own messages (MCP's {@code _meta}); null when there is no span to continue.
     */
    public static String traceparent(Operation operation) {
        try {
            return operation == null ? null : observer.traceparent(operation);
        } catch (Throwable ignored) {
            return null; // see start
        }
    }

    /**
     * The hooked method that started {@code operation} is returning: what runs next on this thread is no
     * longer inside it. Call it on every exit path of the method, before or after {@link #end}.
     */
    public static void leave(Operation operation) {
        try {
            if (operation != null && operation.scopeThread == Thread.currentThread()) {
                observer.onLeave(operation);
            }
        } catch (Throwable ignored) {
            // see start
        }
    }

    /**
     * Ends the operation once; later calls (close after exhaustion, cleaner after close) do nothing.
     * Ending on the starting thread also leaves it, so a synchronous call needs no separate leave.
     */
    public static void end(Operation operation) {
        leave(operation);
        try {
            if (operation != null && operation.markEnded()) {
                observer.onEnd(operation);
            }
        } catch (Throwable ignored) {
            // see start
        }
    }

    public static void end(Operation call, Throwable error) {
        if (call != null && error != null && call.error == null && !call.isEnded()) {
            call.error = error;
        }
        end(call);
    }

    /**
     * The app closed a stream or response: runs {@code closeSource} (the SDK's own close) and ends the
     * call, as incomplete if it had not ended by itself. Closing early is not an error.
     */
    public static void endOnClose(InferenceCall call, Runnable closeSource) {
        if (call != null && !call.isEnded()) {
            call.incomplete = true;
        }
        try {
            closeSource.run();
        } finally {
            end(call);
        }
    }

    /**
     * The exception the SDK threw, for the span to name, when a future or an executor wrapped it in a
     * {@link java.util.concurrent.CompletionException} or {@link java.util.concurrent.ExecutionException};
     * otherwise {@code failure} itself (null stays null).
     */
    public static Throwable causeOf(Throwable failure) {
        boolean wrapped = failure instanceof java.util.concurrent.CompletionException
                || failure instanceof java.util.concurrent.ExecutionException;
        return wrapped && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * The hooked method returned a future: the call ends when it completes. Its value or failure is
     * read into the call unless something else ended the call first (a stream's own handler);
     * cancellation is incomplete, not an error.
     */
    public static void endWhenDone(CompletableFuture<?> future, InferenceCall call, String module,
                                   AsyncStreamObserver.EventReader onValue, AsyncStreamObserver.ErrorReader onError) {
        future.whenComplete((value, failure) -> {
            try {
                if (!call.isEnded()) {
                    Throwable cause = causeOf(failure);
                    if (cause instanceof CancellationException) {
                        call.incomplete = true;
                    } else if (cause != null) {
                        onError.read(call, cause);
                    } else {
                        onValue.read(call, value);
                    }
                }
            } catch (Throwable t) {
                instrumentationError(module, t);
            }
            end(call);
        });
    }

    public static void instrumentationError(String module, Throwable error) {
        try {
            observer.onInstrumentationError(module, error);
        } catch (Throwable ignored) {
            // see start
        }
    }

    /**
     * Ends {@code call} as incomplete if {@code wrapper} becomes unreachable before the app closed or
     * drained it, so a forgotten stream cannot leak its span or its active-call gauge.
     */
    public static void endWhenUnreachable(Object wrapper, InferenceCall call) {
        try {
            ABANDONED_STREAMS.register(wrapper, () -> {
                if (!call.isEnded()) {
                    call.incomplete = true;
                    end(call);
                }
            });
        } catch (Throwable ignored) {
            // see start
        }
    }

    /**
     * Ends {@code operation} if {@code wrapper} (e.g. the iterator of an agent loop the app stopped
     * iterating) becomes unreachable before the operation ended by itself.
     */
    public static void endWhenUnreachable(Object wrapper, Operation operation) {
        try {
            ABANDONED_STREAMS.register(wrapper, () -> end(operation));
        } catch (Throwable ignored) {
            // see start
        }
    }
}
