package dev.llmlens.smoke.app;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An MCP client that launches {@link McpServerApp} as its stdio subprocess, with this JVM's own
 * arguments (the agent included) and the service name and metrics port given as arguments. It calls
 * each tool once, prints each outcome, then keeps the session open until a line on stdin (the test has
 * had the spans of both processes by then).
 */
public final class McpClientApp {

    private McpClientApp() {}

    public static void main(String[] args) throws Exception {
        String serverServiceName = args[0];
        String serverMetricsPort = args[1];
        try (McpSyncClient client = connect(serverServiceName, serverMetricsPort)) {
            print("get_weather", client.callTool(new CallToolRequest("get_weather", Map.of("city", "Paris"))));
            print("get_forecast", client.callTool(new CallToolRequest("get_forecast", Map.of("city", "Moon"))));
            try {
                print("get_alerts", client.callTool(new CallToolRequest("get_alerts", Map.of("city", "Paris"))));
            } catch (RuntimeException e) {
                System.out.println("get_alerts failed: " + e.getClass().getSimpleName());
            }
            System.out.println("SCENARIOS_DONE");
            new BufferedReader(new InputStreamReader(System.in)).readLine();
        }
    }

    /** Launches {@link McpServerApp} as a stdio subprocess and opens an initialized session with it. */
    public static McpSyncClient connect(String serverServiceName, String serverMetricsPort) {
        List<String> command = McpServerApp.command(serverServiceName, serverMetricsPort);
        ServerParameters server = ServerParameters.builder(command.get(0)).args(command.subList(1, command.size())).build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> System.err.println("[server] " + line));
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    private static void print(String tool, CallToolResult result) {
        String text = result.content().isEmpty() ? "" : ((TextContent) result.content().get(0)).text();
        System.out.println(tool + (Boolean.TRUE.equals(result.isError()) ? " error: " : ": ") + text);
    }
}
