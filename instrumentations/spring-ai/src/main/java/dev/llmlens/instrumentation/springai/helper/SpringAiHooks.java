package dev.llmlens.instrumentation.springai.helper;

import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import reactor.core.publisher.Flux;

/**
 * Entry points of the advice. A chat round trip is a framework-level call from {@code internalCall}'s
 * entry until its response arrives: when the tool calling manager is handed that response (the model
 * asked for tools), or else when {@code internalCall} returns. Ending it there matters in 1.1, where
 * {@code internalCall} goes on to run the tools and recurse into the next round: those are siblings of
 * this round, not its children.
 */
public final class SpringAiHooks {

    static final String MODULE = "spring-ai";
    static final String CHAT_CLIENT = "ChatClient";

    /** The round trips in progress on this thread, innermost first (a tool may call a model again). */
    private static final ThreadLocal<Deque<RoundTrip>> ROUND_TRIPS = ThreadLocal.withInitial(ArrayDeque::new);
    /** The ChatClient call whose model call has not started yet on this thread. */
    private static final ThreadLocal<ChatClientCall> CHAT_CLIENT_CALL = new ThreadLocal<>();
    private static final ThreadLocal<PendingToolCalls> PENDING_TOOL_CALLS = new ThreadLocal<>();

    private SpringAiHooks() {}

    /**
     * @param modelRunsToolLoop the model (1.1) runs the tools and the next rounds itself, so its first
     *        round opens the run when the request declares tools and no ChatClient run holds it already
     */
    public static RoundTrip enterRoundTrip(Object model, Object prompt, Object previous, boolean modelRunsToolLoop) {
        try {
            AgentRun run = null;
            if (previous == null) {
                ChatClientCall client = CHAT_CLIENT_CALL.get();
                // taken by this call: a model called again from one of its tools is a call of its own
                CHAT_CLIENT_CALL.remove();
                if (modelRunsToolLoop && (client == null || client.run == null) && ToolDeclarations.declaresTools(prompt)) {
                    run = new AgentRun(MODULE, client != null ? CHAT_CLIENT : model.getClass().getSimpleName());
                    run.agentMethod = model.getClass().getSimpleName() + ".call";
                    LlmLens.start(run);
                }
            }
            InferenceCall call = ChatRequests.toCall(model, prompt, false);
            if (run != null) {
                run.requestModel = call.requestModel;
            }
            LlmLens.start(call);
            RoundTrip roundTrip = new RoundTrip(call, run, ChatResponses.usageOf(previous));
            ROUND_TRIPS.get().push(roundTrip);
            return roundTrip;
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    public static void exitRoundTrip(RoundTrip roundTrip, Object response, Throwable error) {
        if (roundTrip == null) {
            return;
        }
        ROUND_TRIPS.get().remove(roundTrip);
        responseArrived(roundTrip, response, error);
        if (roundTrip.run != null) {
            LlmLens.end(roundTrip.run, error);
        }
    }

    /** @return the tool calls pending before on this thread, restored by {@link #exitToolCalls} */
    public static Object enterToolCalls(Object response) {
        PendingToolCalls previous = PENDING_TOOL_CALLS.get();
        try {
            RoundTrip roundTrip = ROUND_TRIPS.get().peek();
            if (roundTrip != null && !roundTrip.call.isEnded()) {
                responseArrived(roundTrip, response, null);
            }
            if (response instanceof ChatResponse chatResponse) {
                PENDING_TOOL_CALLS.set(PendingToolCalls.of(chatResponse));
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        }
        return previous;
    }

    public static void exitToolCalls(Object previous) {
        if (previous instanceof PendingToolCalls pending) {
            PENDING_TOOL_CALLS.set(pending);
        } else {
            PENDING_TOOL_CALLS.remove();
        }
    }

    public static ToolCall enterTool(Object callback, String input) {
        try {
            ToolDefinition definition = ((ToolCallback) callback).getToolDefinition();
            ToolCall tool = new ToolCall(MODULE, definition.name());
            tool.toolDescription = definition.description();
            tool.arguments = input;
            tool.dispatcher = true;
            PendingToolCalls pending = PENDING_TOOL_CALLS.get();
            if (pending != null) {
                tool.toolCallId = pending.take(definition.name(), input);
            }
            LlmLens.start(tool);
            return tool;
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    /** @param result what the tool returned, the text the model is sent */
    public static void exitTool(ToolCall tool, String result, Throwable error) {
        if (tool != null && error == null && LlmLens.capturesContent()) {
            tool.result = result;
        }
        LlmLens.end(tool, error);
    }

    /** @return the ChatClient call, to hand to {@link #exitChatClient} */
    public static Object enterChatClient(Object request) {
        try {
            AgentRun run = null;
            if (request instanceof ChatClientRequest clientRequest
                    && ToolDeclarations.declaresTools(clientRequest.prompt())) {
                run = new AgentRun(MODULE, CHAT_CLIENT);
                run.agentMethod = "ChatClient.call";
                if (clientRequest.prompt().getOptions() != null) {
                    run.requestModel = clientRequest.prompt().getOptions().getModel();
                }
                LlmLens.start(run);
            }
            ChatClientCall call = new ChatClientCall(run, CHAT_CLIENT_CALL.get());
            CHAT_CLIENT_CALL.set(call);
            return call;
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    public static void exitChatClient(Object chatClientCall, Throwable error) {
        if (chatClientCall instanceof ChatClientCall call) {
            if (call.previous != null) {
                CHAT_CLIENT_CALL.set(call.previous);
            } else {
                CHAT_CLIENT_CALL.remove();
            }
            if (call.run != null) {
                LlmLens.end(call.run, error);
            }
        }
    }

    /** @return the flux to hand to the app: observed per subscription */
    @SuppressWarnings("unchecked")
    public static Object observeStream(Object model, Object prompt, Object flux) {
        try {
            if (flux instanceof Flux<?> source && !(flux instanceof ObservedChatFlux)) {
                return new ObservedChatFlux((Flux<ChatResponse>) source, model, prompt);
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        }
        return flux;
    }

    public static InferenceCall enterEmbedding(Object model, Object request) {
        try {
            InferenceCall call = new InferenceCall(MODULE, SpringAiProviders.of(model), "embeddings");
            call.frameworkLevel = true;
            EmbeddingOptions options = request instanceof EmbeddingRequest r ? r.getOptions() : null;
            if (options != null) {
                call.requestModel = options.getModel();
            }
            LlmLens.start(call);
            return call;
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    public static void exitEmbedding(InferenceCall call, Object response, Throwable error) {
        if (call == null) {
            return;
        }
        try {
            if (response instanceof EmbeddingResponse embeddings) {
                EmbeddingResponseMetadata metadata = embeddings.getMetadata();
                if (metadata != null) {
                    call.responseModel = metadata.getModel() == null || metadata.getModel().isEmpty() ? null : metadata.getModel();
                    if (metadata.getUsage() != null && metadata.getUsage().getPromptTokens() != null) {
                        call.inputTokens = metadata.getUsage().getPromptTokens();
                    }
                }
                List<Embedding> results = embeddings.getResults();
                if (results != null && !results.isEmpty() && results.get(0).getOutput() != null) {
                    call.embeddingsDimension = (long) results.get(0).getOutput().length;
                }
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        } finally {
            LlmLens.end(call, error);
        }
    }

    private static void responseArrived(RoundTrip roundTrip, Object response, Throwable error) {
        if (roundTrip.call.isEnded()) {
            return;
        }
        try {
            if (response instanceof ChatResponse chatResponse) {
                ChatResponses.read(roundTrip.call, chatResponse, roundTrip.previousUsage);
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        } finally {
            LlmLens.end(roundTrip.call, error);
        }
    }

    /** A ChatClient call on this thread; {@code run} is null when it declares no tools. */
    static final class ChatClientCall {
        final AgentRun run;
        final ChatClientCall previous;

        ChatClientCall(AgentRun run, ChatClientCall previous) {
            this.run = run;
            this.previous = previous;
        }
    }
}
