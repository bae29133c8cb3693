package dev.llmlens.instrumentation.mcp.helper;

import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/**
 * The app's tool handler as the server sees it: each execution is a SERVER span. The handler runs
 * inside the span (on subscribe), so what it does eagerly in apply counts too.
 *
 * @param <C> the server exchange, or the transport context of a stateless server
 */
final class TracedToolHandler<C> implements BiFunction<C, CallToolRequest, Mono<CallToolResult>> {

    private final String toolName;
    private final BiFunction<C, CallToolRequest, Mono<CallToolResult>> handler;

    TracedToolHandler(String toolName, BiFunction<C, CallToolRequest, Mono<CallToolResult>> handler) {
        this.toolName = toolName;
        this.handler = handler;
    }

    @Override
    public Mono<CallToolResult> apply(C context, CallToolRequest request) {
        return new TracedToolCall(() -> handler.apply(context, request),
                () -> McpHooks.serverCall(toolName, context, request), null, request);
    }
}
