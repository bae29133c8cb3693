package dev.llmlens.instrumentation.mcp.helper;

import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.function.BiFunction;

/**
 * The app's sync tool handler. The server runs it from the async specification it derives, whose
 * SERVER span was started on the subscribing thread; the handler usually runs on a worker thread. It
 * joins that span there (a nested execution of the same tool folds into it), so what the tool does, a
 * model call say, is part of the server's trace.
 *
 * @param <C> the sync server exchange, or the transport context of a stateless server
 */
final class SyncToolHandler<C> implements BiFunction<C, CallToolRequest, CallToolResult> {

    private final BiFunction<C, CallToolRequest, CallToolResult> handler;

    SyncToolHandler(BiFunction<C, CallToolRequest, CallToolResult> handler) {
        this.handler = handler;
    }

    @Override
    public CallToolResult apply(C context, CallToolRequest request) {
        ToolCall execution = McpHooks.executionOf(request);
        if (execution == null) {
            return handler.apply(context, request);
        }
        ToolCall joined = new ToolCall(McpHooks.MODULE, execution.toolName);
        joined.parent = execution;
        LlmLens.start(joined);
        try {
            return handler.apply(context, request);
        } finally {
            LlmLens.end(joined); // the execution's own span records the outcome
        }
    }
}
