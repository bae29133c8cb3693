package dev.llmlens.instrumentation.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.util.ArrayList;
import java.util.List;

/**
 * dev.langchain4j 1.x (1.0.0 to 1.19). Model calls are hooked where every provider passes: the
 * default {@code chat} methods of {@code ChatModel} / {@code StreamingChatModel}, which call
 * {@code ChatModelListenerUtils.onRequest} before the provider's {@code doChat} and
 * {@code onResponse} / {@code onError} when it ends (for a stream, on the SDK's thread). Those calls
 * are framework-level: an SDK hook under them (openai-java below langchain4j-open-ai-official) owns
 * the span. AI service method calls are agent runs; tool executions are hooked at the dispatcher of
 * 1.x lines that have one ({@code ToolService.executeWithErrorHandling}, which also runs lambda
 * executors) and at {@code DefaultToolExecutor} for the older lines.
 *
 * <p>Only langchain4j-core classes are required: an app without AI services still gets its model
 * calls traced; a hook whose class is absent in a version never matches.
 */
public final class LangChain4jModule implements InstrumentationModule {

    private static final String CHAT = "dev.langchain4j.model.chat.";
    private static final String TOOL = "dev.langchain4j.service.tool.";
    private static final String HELPER = "dev.llmlens.instrumentation.langchain4j.helper.";

    @Override
    public String name() {
        return "langchain4j";
    }

    @Override
    public List<String> requiredClassNames() {
        return List.of(
                CHAT + "ChatModel",
                CHAT + "StreamingChatModel",
                CHAT + "ChatModelListenerUtils",
                CHAT + "request.ChatRequest",
                CHAT + "response.ChatResponse",
                "dev.langchain4j.model.output.TokenUsage",
                "dev.langchain4j.model.embedding.EmbeddingModel",
                "dev.langchain4j.agent.tool.ToolExecutionRequest");
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(
                HELPER + "Reflection",
                HELPER + "Reflection$1",
                HELPER + "Reflection$2",
                HELPER + "Providers",
                HELPER + "Usage",
                HELPER + "ChatContent",
                HELPER + "ChatHooks",
                HELPER + "ChatHooks$Frame",
                HELPER + "EmbeddingHooks",
                HELPER + "ToolHooks",
                HELPER + "AiServiceHooks",
                HELPER + "McpClientHooks");
    }

    @Override
    public List<Hook> hooks() {
        List<Hook> hooks = new ArrayList<>();
        chat(hooks);
        embeddings(hooks);
        aiServices(hooks);
        tools(hooks);
        mcpClient(hooks);
        return hooks;
    }

    private static void chat(List<Hook> hooks) {
        // ChatModel: chat(ChatRequest) and, from the lines with request options, chat(ChatRequest, ChatRequestOptions);
        // StreamingChatModel: the same with the handler last. A frame without a request (the overload that
        // only delegates) records nothing.
        var chatEntry = named("chat").and(takesArgument(0, named(CHAT + "request.ChatRequest"))).and(not(isAbstract()));
        hooks.add(new Hook(CHAT + "ChatModel", chatEntry, ChatEntryAdvice.class.getName()));
        hooks.add(new Hook(CHAT + "StreamingChatModel", chatEntry, ChatEntryAdvice.class.getName()));
        String utils = CHAT + "ChatModelListenerUtils";
        hooks.add(new Hook(utils, named("onRequest").and(takesArguments(4)), ChatRequestAdvice.class.getName()));
        hooks.add(new Hook(utils, named("onResponse").and(takesArguments(5)), ChatResponseAdvice.class.getName()));
        hooks.add(new Hook(utils, named("onError").and(takesArguments(5)), ChatErrorAdvice.class.getName()));
        // the handler StreamingChatModel wraps around the app's: the first piece it passes on is the first chunk
        hooks.add(new Hook(CHAT + "StreamingChatModel$1", named("onPartialResponse").or(named("onPartialThinking"))
                .or(named("onPartialToolCall")), StreamChunkAdvice.class.getName()));
    }

    private static void embeddings(List<Hook> hooks) {
        String model = "dev.langchain4j.model.embedding.EmbeddingModel";
        var textEntry = named("embed").and(takesArguments(1)).and(takesArgument(0, named("java.lang.String"))
                .or(takesArgument(0, named("dev.langchain4j.data.segment.TextSegment"))));
        var embedAll = named("embedAll").and(takesArguments(1)).and(takesArgument(0, named("java.util.List")));
        hooks.add(new Hook(model, textEntry.or(embedAll).and(not(isAbstract())), EmbeddingAdvice.class.getName()));
        // in the lines before embed(EmbeddingRequest), embedAll is each provider's own method
        for (String provider : List.of("dev.langchain4j.model.openai.OpenAiEmbeddingModel",
                "dev.langchain4j.model.ollama.OllamaEmbeddingModel",
                "dev.langchain4j.model.azure.AzureOpenAiEmbeddingModel",
                "dev.langchain4j.model.mistralai.MistralAiEmbeddingModel")) {
            hooks.add(new Hook(provider, embedAll, EmbeddingAdvice.class.getName()));
        }
    }

    private static void aiServices(List<Hook> hooks) {
        // the InvocationHandler behind every AI service proxy; an anonymous class, the same name in 1.0 and 1.19
        hooks.add(new Hook("dev.langchain4j.service.DefaultAiServices$1", named("invoke").and(takesArguments(3))
                .and(takesArgument(0, named("java.lang.Object")))
                .and(takesArgument(1, named("java.lang.reflect.Method"))), AiServiceAdvice.class.getName()));
    }

    private static void tools(List<Hook> hooks) {
        String request = "dev.langchain4j.agent.tool.ToolExecutionRequest";
        hooks.add(new Hook(TOOL + "ToolService", named("executeWithErrorHandling").and(isStatic())
                .and(takesArgument(0, named(request))), ToolExecutionAdvice.class.getName()));
        // the dispatcher catches what a tool threw and only hands on its cause: that is the tool's error
        hooks.add(new Hook(TOOL + "ToolService", named("getCause").and(isStatic()).and(takesArguments(1))
                .and(takesArgument(0, named("java.lang.Exception"))), ToolErrorCauseAdvice.class.getName()));
        hooks.add(new Hook(TOOL + "DefaultToolExecutor", named("execute").and(takesArguments(2))
                .and(takesArgument(0, named(request))), ToolExecutionAdvice.class.getName()));
        // where the @Tool method is invoked: its exception is caught and turned into a result text
        hooks.add(new Hook(TOOL + "DefaultToolExecutor", named("execute").and(takesArguments(1))
                .and(takesArgument(0, named("java.lang.Object[]"))), ToolCodeAdvice.class.getName()));
    }

    /** langchain4j-mcp (its own MCP client), when the app has it: the tools/call and the request it sends. */
    private static void mcpClient(List<Hook> hooks) {
        String mcp = "dev.langchain4j.mcp.";
        hooks.add(new Hook(mcp + "client.DefaultMcpClient", named("executeTool")
                .and(takesArgument(0, named("dev.langchain4j.agent.tool.ToolExecutionRequest"))),
                McpExecuteToolAdvice.class.getName()));
        // the request class moved package after 1.0.0-beta5
        for (String request : List.of(mcp + "client.protocol.McpCallToolRequest", mcp + "protocol.McpCallToolRequest")) {
            hooks.add(new Hook(request, isConstructor(), McpToolRequestAdvice.class.getName()));
        }
    }
}
