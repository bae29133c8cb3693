package dev.llmlens.smoke.app;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * An MCP server on stdio, as a client launches it: three tools written as lambdas, one that works,
 * one whose result says it failed, one that throws. It runs until the client ends the process.
 */
public final class McpServerApp {

    private McpServerApp() {}

    /**
     * The command an MCP client launches this server with: this JVM's own java and arguments (the agent
     * included), its class path, and the server's own service name and metrics port.
     */
    public static List<String> command(String serviceName, String metricsPort) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!argument.startsWith("-Dotel.service.name=") && !argument.startsWith("-Dllmlens.prometheus.port=")
                    && !argument.startsWith("-Dlogback.configurationFile=")) {
                command.add(argument);
            }
        }
        // stdout is the protocol: a log line there breaks a client that reads every line as JSON-RPC
        command.add("-Dlogback.configurationFile=logback-mcp.xml");
        command.add("-Dotel.service.name=" + serviceName);
        command.add("-Dllmlens.prometheus.port=" + metricsPort);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), McpServerApp.class.getName()));
        return command;
    }

    public static void main(String[] args) throws InterruptedException {
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper()))
                .serverInfo("weather-server", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tool("get_weather", (exchange, request) -> text("sunny in " + request.arguments().get("city"), false)),
                        tool("get_forecast", (exchange, request) -> text("no forecast for the moon", true)),
                        tool("get_alerts", (exchange, request) -> {
                            throw new IllegalStateException("alerts service down");
                        }))
                .build();
        new CountDownLatch(1).await(); // the transport serves stdin on its own threads
        server.close();
    }

    private static SyncToolSpecification tool(String name,
            java.util.function.BiFunction<io.modelcontextprotocol.server.McpSyncServerExchange, McpSchema.CallToolRequest,
                    CallToolResult> handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(name.replace('_', ' '))
                .inputSchema(new McpSchema.JsonSchema("object", Map.of("city", Map.of("type", "string")), List.of(),
                        null, null, null))
                .build();
        return SyncToolSpecification.builder().tool(tool).callHandler(handler).build();
    }

    private static CallToolResult text(String text, boolean isError) {
        return new CallToolResult(List.of(new McpSchema.TextContent(text)), isError, null, null);
    }
}
