package dev.llmlens.instrumentation.googlegenai.helper;

import com.google.genai.ApiClient;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Entry points of the advice. A round trip (one private* call) is one inference span; it ends at
 * return, when its future completes, or when its stream is drained, fails, is closed or abandoned.
 * The AFC run around the round trips exists only when the request hands the SDK Java methods to call.
 */
public final class GoogleGenAiHooks {

    static final String MODULE = "google-genai";
    static final String AGENT_NAME = "AutomaticFunctionCalling";

    private GoogleGenAiHooks() {}

    public static InferenceCall enterRoundTrip(ApiClient client, String method, Object[] args) {
        try {
            InferenceCall call = GenAiRequests.toCall(client, method, args);
            if (call != null) {
                call.parent = AfcRuns.iteration();
                LlmLens.start(call);
            }
            return call;
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    /** @return what the hooked method returns to the app: the same object, or a future that registers a stream first. */
    public static Object exitRoundTrip(InferenceCall call, Object result, Throwable error) {
        if (call == null) {
            return result;
        }
        LlmLens.leave(call);
        try {
            if (error != null) {
                GenAiResponses.onError(call, error);
            } else if (result instanceof CompletableFuture<?> future) {
                return observeFuture(call, future);
            } else if (call.stream && result != null) {
                ObservedStreams.register(result, call);
                return result;
            } else {
                onResult(call, result);
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        }
        LlmLens.end(call);
        return result;
    }

    private static void onResult(InferenceCall call, Object result) {
        if (result instanceof GenerateContentResponse response) {
            GenAiResponses.onResponse(call, response);
        } else if (result instanceof EmbedContentResponse embeddings) {
            GenAiResponses.onEmbeddings(call, embeddings);
        }
    }

    /**
     * The app (and the SDK's own tool loop, which chains its next round trip on this future) gets a
     * future that completes only after the call has ended: dependents of the SDK's future run before
     * a callback added earlier, so the loop could finish its run before this round trip was counted,
     * and a stream could be read before it was registered. Cancelling the app's future ends the call
     * as incomplete.
     */
    private static Object observeFuture(InferenceCall call, CompletableFuture<?> future) {
        CompletableFuture<?> observed = future.whenComplete((value, failure) -> {
            try {
                Throwable cause = LlmLens.causeOf(failure);
                if (cause == null && call.stream && value != null) {
                    ObservedStreams.register(value, call);
                    return;
                }
                if (cause instanceof CancellationException) {
                    call.incomplete = true;
                } else if (cause != null) {
                    GenAiResponses.onError(call, cause);
                } else {
                    onResult(call, value);
                }
            } catch (Throwable t) {
                LlmLens.instrumentationError(MODULE, t);
            }
            LlmLens.end(call);
        });
        observed.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException && !call.isEnded()) {
                call.incomplete = true;
                LlmLens.end(call);
            }
        });
        return observed;
    }

    public static AgentRun enterGenerate(String model, GenerateContentConfig config, String method) {
        try {
            if (!GenAiRequests.runsToolLoop(config)) {
                return null;
            }
            AgentRun run = new AgentRun(MODULE, AGENT_NAME);
            run.agentMethod = method;
            run.requestModel = model;
            LlmLens.start(run);
            AfcRuns.starting(run);
            return run;
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    /** @return what generateContent returns to the app: for AsyncModels a future that completes after the run ended */
    public static Object exitGenerate(AgentRun run, Object result, Throwable error) {
        if (run == null) {
            return result;
        }
        AfcRuns.started();
        LlmLens.leave(run);
        if (error == null && result instanceof CompletableFuture<?> future) {
            return future.whenComplete((value, failure) -> endRun(run, LlmLens.causeOf(failure)));
        }
        endRun(run, error);
        return result;
    }

    private static void endRun(AgentRun run, Throwable error) {
        AfcRuns.ended(run);
        LlmLens.end(run, error);
    }

    public static AgentRun enterAsyncLoop(Object functionMap) {
        try {
            return AfcRuns.enterIteration(functionMap);
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    public static void exitAsyncLoop(AgentRun previous) {
        AfcRuns.exitIteration(previous);
    }

    public static Object enterFunctionCalls(GenerateContentResponse response, Object functionMap) {
        try {
            return AfcRuns.enterFunctionCalls(response, functionMap);
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    public static void exitFunctionCalls(Object previous) {
        AfcRuns.exitFunctionCalls(previous);
    }

    public static ToolCall enterTool(Method method, Object arguments) {
        try {
            ToolCall tool = new ToolCall(MODULE, method.getName());
            if (LlmLens.capturesContent()) {
                GenAiResponses.guarded(() -> tool.arguments = GenAiContent.toolArguments(arguments));
            }
            AfcRuns.PendingCall functionCall = AfcRuns.nextCall(method.getName());
            if (functionCall != null) {
                tool.toolCallId = functionCall.id;
            }
            tool.parent = AfcRuns.pendingRun();
            LlmLens.start(tool);
            return tool;
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    /** The SDK reports a failing method to the model and goes on; the tool's span records the failure. */
    public static void exitTool(ToolCall tool, Object result, Throwable error) {
        if (tool == null) {
            return;
        }
        LlmLens.leave(tool);
        if (error == null && LlmLens.capturesContent()) {
            GenAiResponses.guarded(() -> tool.result = GenAiContent.toolResult(result));
        }
        Throwable cause = error instanceof InvocationTargetException invocation && invocation.getCause() != null
                ? invocation.getCause()
                : error;
        LlmLens.end(tool, cause);
    }

    public static void streamAdvanced(Object stream, Object chunk, Throwable error) {
        try {
            ObservedStreams.advanced(stream, chunk, error);
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        }
    }

    public static void streamChecked(Object stream, boolean hasNext, Throwable error) {
        try {
            ObservedStreams.checked(stream, hasNext, error);
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        }
    }

    public static void streamClosed(Object stream) {
        try {
            ObservedStreams.closed(stream);
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        }
    }
}
