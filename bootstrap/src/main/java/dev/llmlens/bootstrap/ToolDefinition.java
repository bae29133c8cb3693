package dev.llmlens.bootstrap;

/** A tool the request offers the model ({@code gen_ai.tool.definitions}); parameters as JSON Schema text. */
public final class ToolDefinition {

    /** {@code function} for a callable function; otherwise the provider's own tool type (web_search, …). */
    public final String type;
    public final String name;
    public String description;
    public String parameters;

    public ToolDefinition(String type, String name) {
        this.type = type;
        this.name = name;
    }

    public static ToolDefinition function(String name, String description, String parameters) {
        ToolDefinition tool = new ToolDefinition("function", name);
        tool.description = description;
        tool.parameters = parameters;
        return tool;
    }
}
