package dev.llmlens.bootstrap;

/** One execution of a tool's code, as the framework or SDK that runs it sees it. */
public final class ToolCall extends Operation {

    public String toolName;
    /** The id the model gave this call, when the library exposes it. */
    public String toolCallId;
    /** {@code function}, {@code extension} or {@code datastore} in semconv terms. */
    public String toolType = "function";
    public String toolDescription;

    public ToolCall(String module, String toolName) {
        super(module);
        this.toolName = toolName;
    }
}
