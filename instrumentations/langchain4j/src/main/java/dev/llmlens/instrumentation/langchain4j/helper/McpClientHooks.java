package dev.llmlens.instrumentation.langchain4j.helper;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * langchain4j-mcp's own MCP client (it does not use the MCP Java SDK): each
 * {@code DefaultMcpClient#executeTool} is one tools/call. Inside a tool execution an AI service's
 * dispatcher already records, it folds into that span, which then says it is an MCP call; called on
 * its own, it is the MCP CLIENT span. The request it sends carries the call's traceparent in
 * {@code params._meta}, so the server's span continues this trace.
 *
 * <p>The request is read by reflection: its class moved ({@code mcp.client.protocol} to
 * {@code mcp.protocol}) and changed shape (a params map, later a params object with {@code _meta}),
 * and the module must work without langchain4j-mcp on the class path.
 */
public final class McpClientHooks {

    static final String TOOLS_CALL = "tools/call";
    private static final String META = "_meta";
    /** Where the MCP semantic conventions put the W3C trace context: params._meta.traceparent. */
    private static final String TRACEPARENT = "traceparent";

    /** The tools/call under way on this thread: the request built inside it is the one to tag. */
    private static final ThreadLocal<ToolCall> CALLING = new ThreadLocal<>();

    private McpClientHooks() {}

    public static ToolCall calling(Object request) {
        try {
            if (CALLING.get() != null || !(request instanceof ToolExecutionRequest toolRequest)) {
                return null; // an executeTool overload delegating to the one already traced
            }
            ToolCall call = new ToolCall(ChatHooks.MODULE, toolRequest.name());
            call.mcpMethod = TOOLS_CALL;
            call.toolCallId = toolRequest.id();
            call.arguments = toolRequest.arguments();
            LlmLens.start(call);
            CALLING.set(call);
            return call;
        } catch (Throwable t) {
            LlmLens.instrumentationError(ChatHooks.MODULE, t);
            return null;
        }
    }

    public static void called(ToolCall call, Throwable error) {
        if (call != null) {
            CALLING.remove();
            LlmLens.end(call, error);
        }
    }

    /** A tools/call request was built: inside a traced call, it carries that call's trace context. */
    @SuppressWarnings("unchecked")
    public static void built(Object request) {
        String traceparent = LlmLens.traceparent(CALLING.get());
        if (traceparent == null) {
            return;
        }
        try {
            Object params = Reflection.call(request, "getParams");
            if (params instanceof Map<?, ?> map) {
                ((Map<String, Object>) map).put(META, withTraceparent(map.get(META), traceparent));
            } else if (params != null) {
                Object meta = Reflection.call(params, "getMeta");
                params.getClass().getMethod("setMeta", Map.class).invoke(params, withTraceparent(meta, traceparent));
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(ChatHooks.MODULE, t);
        }
    }

    /** A copy: what the client put there (a progress token) may be an immutable map. */
    private static Map<String, Object> withTraceparent(Object meta, String traceparent) {
        Map<String, Object> merged = new LinkedHashMap<>();
        if (meta instanceof Map<?, ?> existing) {
            existing.forEach((key, value) -> merged.put(String.valueOf(key), value));
        }
        merged.put(TRACEPARENT, traceparent);
        return merged;
    }
}
