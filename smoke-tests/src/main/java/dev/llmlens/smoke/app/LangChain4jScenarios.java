package dev.llmlens.smoke.app;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import dev.llmlens.smoke.mock.MockOpenAiServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary LangChain4j app; it knows nothing about llm-lens. Each scenario prints one
 * deterministic line. Compiled against the newest LangChain4j and only uses what 1.0 has too. The
 * scenario over langchain4j-open-ai-official (openai-java underneath) runs only where that module is
 * on the class path. The one over langchain4j-mcp launches {@link McpServerApp} as its MCP server. After the scenarios it stays alive until stdin closes, so a test can scrape /metrics.
 */
public final class LangChain4jScenarios {

    /** Scenario name → HTTP requests (= model calls) it makes. */
    public static final Map<String, Integer> SCENARIOS = new LinkedHashMap<>();
    public static final String OFFICIAL = "official-ai-service-tool";
    public static final String MCP = "ai-service-mcp-tool";

    static {
        SCENARIOS.put("ai-service-tool", 2);
        SCENARIOS.put("ai-service-failing-tool", 2);
        SCENARIOS.put("ai-service-memory-id", 1);
        SCENARIOS.put("chat-plain", 1);
        SCENARIOS.put("chat-stream", 1);
        SCENARIOS.put("embeddings", 1);
        SCENARIOS.put(OFFICIAL, 2);
        SCENARIOS.put(MCP, 2);
    }

    public interface Assistant {
        String chat(@MemoryId String conversation, @UserMessage String message);
    }

    public interface Calculator {
        String ask(String question);
    }

    public interface WeatherDesk {
        String ask(String question);
    }

    public static final class Arithmetic {
        @Tool("Adds two integers")
        public int add(int a, int b) {
            return a + b;
        }
    }

    public static final class BrokenArithmetic {
        @Tool("Adds two integers")
        public int add(int a, int b) {
            throw new IllegalStateException("arithmetic unit offline");
        }
    }

    private final String baseUrl;
    private final PrintStream out;
    /** What must stay open until the app ends: the MCP client, whose server the test reads spans from. */
    private final List<AutoCloseable> openUntilExit = new ArrayList<>();

    public LangChain4jScenarios(String baseUrl, PrintStream out) {
        this.baseUrl = baseUrl;
        this.out = out;
    }

    public static boolean officialAvailable() {
        try {
            Class.forName("dev.langchain4j.model.openaiofficial.OpenAiOfficialChatModel");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> names = args.length > 1 ? List.of(args[1].split(",")) : List.copyOf(SCENARIOS.keySet());
        LangChain4jScenarios app = new LangChain4jScenarios(args[0], System.out);
        for (String name : names) {
            if (!name.equals(OFFICIAL) || officialAvailable()) {
                app.run(name);
            }
        }
        System.out.println("SCENARIOS_DONE");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        for (AutoCloseable open : app.openUntilExit) {
            open.close();
        }
    }

    public void run(String name) {
        try {
            out.println(name + ": " + call(name));
        } catch (Exception e) {
            out.println(name + ": failed with " + e.getClass().getName());
        }
    }

    private ChatModel chatModel(String model) {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("sk-test").modelName(model).maxRetries(0).build();
    }

    private String call(String name) throws Exception {
        switch (name) {
            case "ai-service-tool":
                return assistant(chatModel(MockOpenAiServer.MODEL_TOOL_CALLS), new Arithmetic()).ask("What is 2 + 2?");
            case "ai-service-failing-tool":
                return assistant(chatModel(MockOpenAiServer.MODEL_TOOL_CALLS), new BrokenArithmetic()).ask("What is 2 + 2?");
            case "ai-service-memory-id": {
                Assistant assistant = AiServices.builder(Assistant.class).chatModel(chatModel("gpt-4o-mini"))
                        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10)).build();
                return assistant.chat("conversation-42", "Hello");
            }
            case "chat-plain":
                return chatModel("gpt-4o-mini").chat("Hello");
            case "chat-stream":
                return stream();
            case "embeddings":
                return "dimension " + OpenAiEmbeddingModel.builder().baseUrl(baseUrl).apiKey("sk-test")
                        .modelName("text-embedding-3-small").maxRetries(0).build().embed("hello").content().dimension();
            case OFFICIAL: {
                ChatModel official = dev.langchain4j.model.openaiofficial.OpenAiOfficialChatModel.builder()
                        .baseUrl(baseUrl).apiKey("sk-test").modelName(MockOpenAiServer.MODEL_TOOL_CALLS).maxRetries(0).build();
                return assistant(official, new Arithmetic()).ask("What is 2 + 2?");
            }
            case MCP:
                return mcpWeatherDesk().ask("What is the weather in Paris?");
            default:
                throw new IllegalArgumentException("unknown scenario " + name);
        }
    }

    private static Calculator assistant(ChatModel model, Object tools) {
        return AiServices.builder(Calculator.class).chatModel(model).tools(tools).build();
    }

    /**
     * An AI service whose only tool is {@link McpServerApp}'s get_weather, through langchain4j-mcp's own
     * client; the server runs as its stdio subprocess, with this JVM's agent.
     */
    private WeatherDesk mcpWeatherDesk() throws Exception {
        String serverMetricsPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            serverMetricsPort = String.valueOf(socket.getLocalPort());
        }
        McpClient client = new DefaultMcpClient.Builder().transport(new StdioMcpTransport.Builder()
                .command(McpServerApp.command("langchain4j-mcp-server", serverMetricsPort)).logEvents(false).build()).build();
        openUntilExit.add(client);
        return AiServices.builder(WeatherDesk.class).chatModel(chatModel(MockOpenAiServer.MODEL_TOOL_CALLS))
                .toolProvider(McpToolProvider.builder().mcpClients(client).filterToolNames("get_weather").build()).build();
    }

    private String stream() throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey("sk-test").modelName("gpt-4o-mini").build()
                .chat("Hello", new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partial) {
                        text.append(partial);
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(text + " (" + response.tokenUsage().outputTokenCount() + " output tokens)");
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        return done.get(30, TimeUnit.SECONDS);
    }
}
