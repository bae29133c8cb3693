package dev.llmlens.bootstrap;

/**
 * One execution of a tool's code, as the framework or SDK that runs it sees it. When two hooks see
 * the same execution (a framework's dispatcher and the annotated method it calls), the inner one,
 * with the same tool name, is folded into the outer: one execution, one span.
 */
public final class ToolCall extends Operation {

    public String toolName;
    /** The id the model gave this call, when the library exposes it. */
    public String toolCallId;
    /** {@code function}, {@code extension} or {@code datastore} in semconv terms. */
    public String toolType = "function";
    public String toolDescription;
    /**
     * The arguments as the model sent them (usually JSON). They leave the agent's memory only as a
     * digest (loop detection), unless content capture is on.
     */
    public String arguments;
    /** What the tool returned, as text (JSON when it is); kept only while content capture is on. */
    public String result;

    /**
     * Set when the call crosses the Model Context Protocol: the JSON-RPC method ({@code tools/call}). The
     * span is then the MCP one: named after the method, CLIENT on the side that asks, SERVER on the side
     * that runs the tool ({@link #mcpServer}).
     */
    public String mcpMethod;
    public boolean mcpServer;
    public String mcpSessionId;
    public String jsonRpcRequestId;
    /**
     * The W3C {@code traceparent} the caller sent with the request (MCP's {@code _meta}): this execution
     * continues the caller's trace, even in another process.
     */
    public String remoteParent;

    /**
     * The hook is a framework's dispatch around the tool's own code (which catches what the tool
     * throws): an injected failure is thrown by the hook of the tool's code inside it, so the framework
     * handles it as a failing tool. Without such an inner hook no failure is injected.
     */
    public boolean dispatcher;

    public ToolCall(String module, String toolName) {
        super(module);
        this.toolName = toolName;
    }
}
