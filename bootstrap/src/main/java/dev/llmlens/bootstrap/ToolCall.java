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
     * The arguments as the model sent them (usually JSON). Only a digest of them leaves the agent's
     * memory (loop detection: the same tool with the same arguments, again and again).
     */
    public String arguments;

    public ToolCall(String module, String toolName) {
        super(module);
        this.toolName = toolName;
    }
}
