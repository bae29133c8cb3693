package dev.llmlens.instrumentation.mcp.helper;

import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/** What the MCP advice delegates to. Nothing here may throw into the app. */
public final class McpHooks {

    public static final String MODULE = "mcp";
    static final String TOOLS_CALL = "tools/call";
    /** Where the semantic conventions put the W3C trace context in a request: params._meta.traceparent. */
    static final String TRACEPARENT = "traceparent";
    /** semconv error.type for a tool result with isError=true: the call succeeded, the tool failed. */
    static final String TOOL_ERROR = "tool_error";

    /**
     * Server executions under way, by the request object itself (records compare by value, two calls
     * may carry equal requests): a sync handler, on another thread, finds the span it runs in here.
     */
    private static final Map<CallToolRequest, ToolCall> EXECUTIONS = Collections.synchronizedMap(new IdentityHashMap<>());

    private McpHooks() {}

    /**
     * The request with a _meta of our own: the call's span, and so its traceparent, exists only once the
     * returned Mono is subscribed, and the request record cannot change by then; its map can, and the
     * transport serializes it only after that.
     */
    public static CallToolRequest withWritableMeta(CallToolRequest request) {
        try {
            if (request == null) {
                return null;
            }
            Map<String, Object> meta = request.meta() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(request.meta());
            return new CallToolRequest(request.name(), request.arguments(), meta);
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return request;
        }
    }

    public static Mono<CallToolResult> traceClientCall(CallToolRequest request, Mono<CallToolResult> result) {
        if (request == null || result == null) {
            return result;
        }
        return new TracedToolCall(() -> result, () -> clientCall(request), request.meta(), null);
    }

    private static ToolCall clientCall(CallToolRequest request) {
        ToolCall call = new ToolCall(MODULE, request.name());
        call.mcpMethod = TOOLS_CALL;
        call.arguments = McpContent.arguments(request.arguments());
        return call;
    }

    /** Sends the started call's trace context along with the request. */
    static void inject(ToolCall call, Map<String, Object> meta) {
        String traceparent = LlmLens.traceparent(call);
        if (meta != null && traceparent != null) {
            try {
                meta.put(TRACEPARENT, traceparent);
            } catch (UnsupportedOperationException e) {
                // the app's own map: withWritableMeta did not run; the server starts its own trace
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static BiFunction traceServerHandler(Tool tool, BiFunction handler) {
        if (handler == null || handler instanceof TracedToolHandler) {
            return handler;
        }
        return new TracedToolHandler(tool == null ? null : tool.name(), handler);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static BiFunction joinServerExecution(BiFunction handler) {
        if (handler == null || handler instanceof SyncToolHandler) {
            return handler;
        }
        return new SyncToolHandler(handler);
    }

    static void executing(CallToolRequest request, ToolCall call) {
        if (request != null) {
            EXECUTIONS.put(request, call);
        }
    }

    static void executed(CallToolRequest request) {
        if (request != null) {
            EXECUTIONS.remove(request);
        }
    }

    static ToolCall executionOf(CallToolRequest request) {
        return request == null ? null : EXECUTIONS.get(request);
    }

    static ToolCall serverCall(String toolName, Object context, CallToolRequest request) {
        ToolCall call = new ToolCall(MODULE, request != null && request.name() != null ? request.name() : toolName);
        call.mcpMethod = TOOLS_CALL;
        call.mcpServer = true;
        if (request != null) {
            call.arguments = McpContent.arguments(request.arguments());
            if (request.meta() != null && request.meta().get(TRACEPARENT) instanceof String traceparent) {
                call.remoteParent = traceparent;
            }
        }
        if (context instanceof McpAsyncServerExchange exchange) {
            call.mcpSessionId = exchange.sessionId();
        }
        return call;
    }

    static void ended(ToolCall call, CallToolResult result) {
        if (result != null && Boolean.TRUE.equals(result.isError())) {
            call.errorType = TOOL_ERROR;
        }
        if (LlmLens.capturesContent()) {
            try {
                call.result = McpContent.resultText(result);
            } catch (Throwable t) {
                LlmLens.instrumentationError(MODULE, t);
            }
        }
        LlmLens.end(call);
    }
}
