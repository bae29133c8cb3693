package dev.llmlens.instrumentation.mcp.helper;

import dev.llmlens.bootstrap.LlmLens;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.List;
import java.util.Map;

/** A tools/call's arguments and result as text, the way they cross the wire. */
final class McpContent {

    /**
     * The SDK's default JSON mapper, looked up once (a service-loader lookup, synchronized in the SDK);
     * {@link #NO_MAPPER} when the app has none on its class path.
     */
    private static final Object NO_MAPPER = new Object();
    private static volatile Object mapper;

    private McpContent() {}

    /** The arguments as the JSON object the request sends; their map's text only when there is no mapper. */
    static String arguments(Map<String, Object> arguments) {
        if (arguments == null) {
            return null;
        }
        if (mapper() instanceof McpJsonMapper json) {
            try {
                return json.writeValueAsString(arguments);
            } catch (Exception | LinkageError e) {
                LlmLens.instrumentationError(McpHooks.MODULE, e);
            }
        }
        return String.valueOf(arguments);
    }

    private static Object mapper() {
        Object found = mapper;
        if (found == null) {
            try {
                found = McpJsonDefaults.getMapper();
            } catch (Exception | LinkageError e) {
                found = null;
            }
            mapper = found = found == null ? NO_MAPPER : found;
        }
        return found;
    }

    /**
     * The text a tool returned: its text contents joined by new lines, an error result's too (that
     * text is the error the model reads). Null when it returned no text (only images, resources).
     */
    static String resultText(CallToolResult result) {
        List<Content> contents = result == null ? null : result.content();
        if (contents == null) {
            return null;
        }
        StringBuilder text = null;
        for (Content content : contents) {
            if (content instanceof TextContent part && part.text() != null) {
                text = text == null ? new StringBuilder() : text.append('\n');
                text.append(part.text());
            }
        }
        return text == null ? null : text.toString();
    }
}
