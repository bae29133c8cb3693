package dev.llmlens.instrumentation.mcp;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.util.List;

/**
 * io.modelcontextprotocol.sdk:mcp 1.x and 2.x. On the client every tools/call, sync or async, is
 * McpAsyncClient#callTool (the sync client blocks on it). On the server the app's tool handlers are
 * lambdas, which cannot be instrumented: the tool specification records are, and their constructors get
 * the handler swapped for a tracing one (a sync server's tools become async specifications too, and
 * their sync handler, run on a worker thread, joins the span there).
 */
public final class McpModule implements InstrumentationModule {

    private static final String MCP = "io.modelcontextprotocol.";
    private static final String HELPER = "dev.llmlens.instrumentation.mcp.helper.";

    @Override
    public String name() {
        return "mcp";
    }

    @Override
    public List<String> requiredClassNames() {
        return List.of(
                MCP + "client.McpAsyncClient",
                MCP + "server.McpServerFeatures$AsyncToolSpecification",
                MCP + "server.McpStatelessServerFeatures$AsyncToolSpecification",
                MCP + "server.McpAsyncServerExchange",
                MCP + "spec.McpSchema$CallToolRequest",
                MCP + "spec.McpSchema$CallToolResult");
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(
                HELPER + "McpContent",
                HELPER + "TracedToolCall",
                HELPER + "TracedToolHandler",
                HELPER + "SyncToolHandler",
                HELPER + "McpHooks");
    }

    @Override
    public List<Hook> hooks() {
        String request = MCP + "spec.McpSchema$CallToolRequest";
        return List.of(
                new Hook(MCP + "client.McpAsyncClient", named("callTool").and(takesArguments(1))
                        .and(takesArgument(0, named(request))), ClientCallToolAdvice.class.getName()),
                new Hook(MCP + "server.McpServerFeatures$AsyncToolSpecification", isConstructor().and(takesArguments(2)),
                        ToolSpecificationAdvice.class.getName()),
                new Hook(MCP + "server.McpStatelessServerFeatures$AsyncToolSpecification",
                        isConstructor().and(takesArguments(2)), ToolSpecificationAdvice.class.getName()),
                new Hook(MCP + "server.McpServerFeatures$SyncToolSpecification", isConstructor().and(takesArguments(2)),
                        SyncToolSpecificationAdvice.class.getName()),
                new Hook(MCP + "server.McpStatelessServerFeatures$SyncToolSpecification",
                        isConstructor().and(takesArguments(2)), SyncToolSpecificationAdvice.class.getName()));
    }
}
