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
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        List<String> command = new ArrayList<>();
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!argument.startsWith("-Dotel.service.name=") && !argument.startsWith("-Dllmlens.prometheus.port=")) {
                command.add(argument);
            }
        }
        command.add("-Dotel.service.name=" + serverServiceName);
        command.add("-Dllmlens.prometheus.port=" + serverMetricsPort);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), McpServerApp.class.getName()));
        ServerParameters server = ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .args(command).build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> System.err.println("[server] " + line));
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build()) {
            client.initialize();
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

    private static void print(String tool, CallToolResult result) {
        String text = result.content().isEmpty() ? "" : ((TextContent) result.content().get(0)).text();
        System.out.println(tool + (Boolean.TRUE.equals(result.isError()) ? " error: " : ": ") + text);
    }
}
