package dev.llmlens.smoke.app;

import io.modelcontextprotocol.client.McpSyncClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.annotation.Tool;

/**
 * Spring AI's ChatClient on its OpenAI model, against a local mock: one call that declares no tools,
 * then one whose tool the model asks for, so Spring AI runs its tool loop. Args: the mock's base URL.
 * Runs on Spring AI 1.1 (the smoke-tests class path) and on 2.0 (its own class path, see
 * smoke-tests/spring-ai-2): only building the model differs. On 2.0, with a second argument (the MCP
 * server's metrics port), a third call takes its tool from {@link McpServerApp}, launched as a stdio
 * subprocess, through spring-ai-mcp's tool callbacks.
 */
public final class SpringAiScenarios {

    public static final class WeatherTools {
        @Tool(description = "The current weather in a city")
        public String weather(String city) {
            return "sunny in " + city;
        }
    }

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        stdin.readLine();
        ChatClient client = ChatClient.create(isSpringAi2() ? springAi2Model(args[0]) : springAi11Model(args[0]));
        System.out.println("plain: " + client.prompt("Say hello").call().content());
        System.out.println("tools: " + client.prompt("What is the weather in Paris?").tools(new WeatherTools()).call().content());
        McpSyncClient mcp = args.length > 1 ? McpClientApp.connect("spring-ai-mcp-server", args[1]) : null;
        if (mcp != null) {
            System.out.println("mcp tools: " + client.prompt("What is the weather in Paris?").toolCallbacks(mcpWeather(mcp))
                    .call().content());
        }
        System.out.println("SCENARIOS_DONE");
        System.out.flush();
        stdin.readLine();
        if (mcp != null) {
            mcp.close(); // ends the server process
        }
    }

    /**
     * The MCP server's get_weather as Spring AI 2.0's SyncMcpToolCallbackProvider adapts it (only that tool,
     * so the mock's "first declared tool" is known). The provider is built by name: this app compiles
     * against Spring AI 1.1, whose spring-ai-mcp is on an MCP SDK (0.x) outside the supported range.
     */
    private static ToolCallback[] mcpWeather(McpSyncClient mcp) throws ReflectiveOperationException {
        ToolCallbackProvider provider = (ToolCallbackProvider) Class.forName("org.springframework.ai.mcp.SyncMcpToolCallbackProvider")
                .getConstructor(List.class).newInstance(List.of(mcp));
        return Arrays.stream(provider.getToolCallbacks())
                .filter(callback -> callback.getToolDefinition().name().equals("get_weather")).toArray(ToolCallback[]::new);
    }

    /** 2.0 dropped Spring AI's own OpenAI client (OpenAiApi) for openai-java. */
    private static boolean isSpringAi2() {
        try {
            Class.forName("org.springframework.ai.openai.api.OpenAiApi");
            return false;
        } catch (ClassNotFoundException e) {
            return true;
        }
    }

    private static OpenAiChatModel springAi11Model(String baseUrl) {
        return OpenAiChatModel.builder()
                .openAiApi(OpenAiApi.builder().baseUrl(baseUrl).apiKey("test-key").build())
                .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").build())
                .build();
    }

    /**
     * What a 2.0 app writes as {@code OpenAiChatModel.builder().options(OpenAiChatOptions.builder()
     * .baseUrl(url).apiKey(key).model(m).build()).build()}: this app is compiled against 1.1, where those
     * builder methods do not exist (or return another type), so it calls them by name.
     */
    private static OpenAiChatModel springAi2Model(String baseUrl) throws ReflectiveOperationException {
        Object options = OpenAiChatOptions.builder();
        options = call(options, "baseUrl", String.class, baseUrl);
        options = call(options, "apiKey", String.class, "test-key");
        options = call(options, "model", String.class, "gpt-4o-mini");
        options = options.getClass().getMethod("build").invoke(options);
        Object builder = call(OpenAiChatModel.builder(), "options", OpenAiChatOptions.class, options);
        return (OpenAiChatModel) builder.getClass().getMethod("build").invoke(builder);
    }

    private static Object call(Object target, String method, Class<?> parameter, Object argument)
            throws ReflectiveOperationException {
        Method builderMethod = target.getClass().getMethod(method, parameter);
        builderMethod.setAccessible(true);
        return builderMethod.invoke(target, argument);
    }
}
