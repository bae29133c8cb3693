package dev.llmlens.instrumentation.googlegenai.helper;

import com.google.genai.types.FunctionCall;
import com.google.genai.types.GenerateContentResponse;
import dev.llmlens.bootstrap.AgentRun;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Which automatic function calling run a round trip or a tool belongs to. A sync run needs none of
 * this: it is current on the thread that runs its whole loop. AsyncModels runs each iteration after
 * the first on a pool thread, and the only object every iteration is handed is the loop's function
 * map (name to Method), so runs are found by that map's identity.
 */
final class AfcRuns {

    /** The async run whose generateContent is on this thread's stack, until its loop has a map. */
    private static final ThreadLocal<AgentRun> STARTING = new ThreadLocal<>();
    /** The run of the loop iteration running on this thread (its round trip starts here). */
    private static final ThreadLocal<AgentRun> ITERATION = new ThreadLocal<>();
    /** The function calls AfcUtil is about to run on this thread, in the order it runs them. */
    private static final ThreadLocal<PendingCalls> PENDING = new ThreadLocal<>();
    private static final Map<Object, AgentRun> BY_FUNCTION_MAP = new IdentityHashMap<>();

    private AfcRuns() {}

    static void starting(AgentRun run) {
        STARTING.set(run);
    }

    static void started() {
        STARTING.remove();
    }

    /** @return the iteration's run that was current before, to restore when the loop method returns */
    static AgentRun enterIteration(Object functionMap) {
        AgentRun run;
        synchronized (BY_FUNCTION_MAP) {
            run = BY_FUNCTION_MAP.get(functionMap);
            if (run == null && STARTING.get() != null) {
                run = STARTING.get();
                BY_FUNCTION_MAP.put(functionMap, run);
            }
        }
        AgentRun previous = ITERATION.get();
        ITERATION.set(run);
        return previous;
    }

    static void exitIteration(AgentRun previous) {
        ITERATION.set(previous);
    }

    /** The run a round trip starting on this thread belongs to when it is not current here. */
    static AgentRun iteration() {
        return ITERATION.get();
    }

    static void ended(AgentRun run) {
        synchronized (BY_FUNCTION_MAP) {
            BY_FUNCTION_MAP.values().removeIf(value -> value == run);
        }
    }

    /** @return what was pending before on this thread, to restore afterwards */
    static PendingCalls enterFunctionCalls(GenerateContentResponse response, Object functionMap) {
        PendingCalls previous = PENDING.get();
        AgentRun run;
        synchronized (BY_FUNCTION_MAP) {
            run = BY_FUNCTION_MAP.get(functionMap);
        }
        PendingCalls pending = new PendingCalls(run);
        Map<?, ?> functions = functionMap instanceof Map<?, ?> map ? map : Map.of();
        for (FunctionCall call : response.functionCalls()) {
            String name = call.name().orElse(null);
            // the same filter AfcUtil applies before it invokes a method
            if (name != null && functions.containsKey(name)) {
                pending.calls.add(new PendingCall(name, call.id().orElse(null)));
            }
        }
        PENDING.set(pending);
        return previous;
    }

    static void exitFunctionCalls(Object previous) {
        PENDING.set(previous instanceof PendingCalls calls ? calls : null);
    }

    /** The function call the SDK is running {@code methodName} for; null outside AfcUtil's loop. */
    static PendingCall nextCall(String methodName) {
        PendingCalls pending = PENDING.get();
        if (pending == null) {
            return null;
        }
        for (PendingCall call : pending.calls) {
            if (call.name.equals(methodName)) {
                pending.calls.remove(call);
                return call;
            }
        }
        return null;
    }

    static AgentRun pendingRun() {
        PendingCalls pending = PENDING.get();
        return pending == null ? null : pending.run;
    }

    static final class PendingCalls {
        final AgentRun run;
        final Deque<PendingCall> calls = new ArrayDeque<>();

        PendingCalls(AgentRun run) {
            this.run = run;
        }
    }

    static final class PendingCall {
        final String name;
        final String id;

        PendingCall(String name, String id) {
            this.name = name;
            this.id = id;
        }
    }
}
