package dev.llmlens.instrumentation.springai;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Spring AI 1.1 and 2.0 (one module: every class and method the helpers use exists in both lines).
 * Model calls are hooked on the exact provider classes named below, at {@code internalCall}, which is one
 * HTTP round trip; in 1.1 it is public and also runs the tool loop (recursing for the next round), in
 * 2.0 it is private and the loop belongs to the ChatClient's ToolCallingAdvisor. Each round trip is a
 * framework-level call: on 2.0 the openai-java or anthropic-java hook inside it owns the span. Tools
 * are hooked where DefaultToolCallingManager runs them, and a ChatClient call that declares tools is an
 * agent run.
 */
public final class SpringAiModule implements InstrumentationModule {

    private static final String AI = "org.springframework.ai.";
    private static final String HELPER = "dev.llmlens.instrumentation.springai.helper.";
    private static final String PROMPT = AI + "chat.prompt.Prompt";
    private static final String CHAT_RESPONSE = AI + "chat.model.ChatResponse";

    /** The chat models whose round trips are hooked (the same class names in 1.1 and 2.0). */
    static final List<String> CHAT_MODELS = List.of(
            AI + "openai.OpenAiChatModel",
            AI + "anthropic.AnthropicChatModel",
            AI + "ollama.OllamaChatModel");
    static final List<String> EMBEDDING_MODELS = List.of(
            AI + "openai.OpenAiEmbeddingModel",
            AI + "ollama.OllamaEmbeddingModel");
    static final List<String> TOOL_CALLBACKS = List.of(
            AI + "tool.method.MethodToolCallback",
            AI + "tool.function.FunctionToolCallback",
            // spring-ai-mcp: the MCP client's tools/call inside folds into this span (one span, MCP attributes on it)
            AI + "mcp.SyncMcpToolCallback",
            AI + "mcp.AsyncMcpToolCallback");

    @Override
    public String name() {
        return "spring-ai";
    }

    @Override
    public List<String> requiredClassNames() {
        return List.of(
                AI + "chat.model.ChatModel",
                PROMPT,
                CHAT_RESPONSE,
                AI + "chat.metadata.Usage",
                AI + "model.tool.ToolCallingChatOptions",
                AI + "model.tool.DefaultToolCallingManager",
                AI + "tool.ToolCallback",
                AI + "embedding.EmbeddingResponse",
                "reactor.core.publisher.Flux");
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(
                HELPER + "SpringAiProviders",
                HELPER + "ChatContent",
                HELPER + "ChatRequests",
                HELPER + "ChatResponses",
                HELPER + "ToolDeclarations",
                HELPER + "RoundTrip",
                HELPER + "PendingToolCalls",
                HELPER + "ObservedChatFlux",
                HELPER + "ObservedChatFlux$ObservingSubscriber",
                HELPER + "SpringAiHooks",
                HELPER + "SpringAiHooks$ChatClientCall");
    }

    @Override
    public List<Hook> hooks() {
        ElementMatcher.Junction<MethodDescription> roundTrip = named("internalCall").and(takesArguments(2))
                .and(takesArgument(0, named(PROMPT))).and(takesArgument(1, named(CHAT_RESPONSE)));
        ElementMatcher.Junction<MethodDescription> stream = named("stream").and(takesArguments(1))
                .and(takesArgument(0, named(PROMPT))).and(returns(named("reactor.core.publisher.Flux")));
        List<Hook> hooks = new ArrayList<>();
        for (String model : CHAT_MODELS) {
            hooks.add(new Hook(model, roundTrip.and(isPublic()), ToolLoopRoundTripAdvice.class.getName()));
            hooks.add(new Hook(model, roundTrip.and(isPrivate()), RoundTripAdvice.class.getName()));
            hooks.add(new Hook(model, stream, StreamAdvice.class.getName()));
        }
        for (String model : EMBEDDING_MODELS) {
            hooks.add(new Hook(model, named("call").and(takesArguments(1))
                    .and(takesArgument(0, named(AI + "embedding.EmbeddingRequest"))), EmbeddingAdvice.class.getName()));
        }
        hooks.add(new Hook(AI + "model.tool.DefaultToolCallingManager", named("executeToolCalls").and(takesArguments(2))
                .and(takesArgument(0, named(PROMPT))).and(takesArgument(1, named(CHAT_RESPONSE))),
                ToolCallsAdvice.class.getName()));
        for (String callback : TOOL_CALLBACKS) {
            // call(String) delegates to this overload in 1.1 and 2.0
            hooks.add(new Hook(callback, named("call").and(takesArguments(2)).and(takesArgument(0, String.class))
                    .and(takesArgument(1, named(AI + "chat.model.ToolContext"))), ToolCallbackAdvice.class.getName()));
        }
        hooks.add(new Hook(AI + "chat.client.DefaultChatClient$DefaultCallResponseSpec",
                named("doGetObservableChatClientResponse").and(takesArguments(1))
                        .and(takesArgument(0, named(AI + "chat.client.ChatClientRequest"))),
                ChatClientAdvice.class.getName()));
        return hooks;
    }
}
