package dev.llmlens.instrumentation.anthropic.helper;

import com.anthropic.core.JsonValue;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.JsonText;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Content capture for the Messages API (plain and beta): the request's system text, messages and
 * tools; the response's content blocks; a stream's blocks assembled from their deltas. Callers call
 * it only while capture is on.
 *
 * <p>The typed getters lead to each block, which is then read in its wire form ({@link JsonValue#from},
 * the SDK's own serialiser): plain and beta blocks are parallel but distinct types, and 3.x has block
 * types a helper compiled against 2.52 cannot name; the wire form is the one shape they all share, so
 * one mapping serves requests, responses and stream events alike.
 */
final class AnthropicContent {

    private AnthropicContent() {}

    static void readRequest(InferenceCall call, Optional<?> system, List<?> messages, Optional<? extends List<?>> tools) {
        AnthropicResponses.guarded(() -> system.ifPresent(value -> call.systemInstructions = systemTexts(JsonValue.from(value))));
        AnthropicResponses.guarded(() -> {
            List<Message> input = new ArrayList<>(messages.size());
            for (Object message : messages) {
                input.add(message(wire(message)));
            }
            call.inputMessages = input;
        });
        AnthropicResponses.guarded(() -> tools.ifPresent(list -> {
            List<ToolDefinition> definitions = new ArrayList<>(list.size());
            for (Object tool : list) {
                definitions.add(toolDefinition(wire(tool)));
            }
            call.toolDefinitions = definitions;
        }));
    }

    /** A whole response, or a stream's {@code message_start} (whose content is still empty). */
    static void readOutput(InferenceCall call, List<?> blocks, Optional<?> stopReason) {
        Message output = call.output(0);
        for (Object block : blocks) {
            output.add(part(wire(block)));
        }
        stopReason.ifPresent(reason -> output.finishReason = reason.toString());
    }

    /** A stream event (plain or beta): its blocks grow the output; message_delta brings the stop reason. */
    static void readEvent(InferenceCall call, Object event) {
        Map<String, JsonValue> fields = wire(event);
        String type = string(fields, "type");
        if ("content_block_start".equals(type)) {
            blockStarted(call, index(fields), object(fields, "content_block"));
        } else if ("content_block_delta".equals(type)) {
            blockDelta(call, index(fields), object(fields, "delta"));
        } else if ("message_delta".equals(type)) {
            String stopReason = string(object(fields, "delta"), "stop_reason");
            if (stopReason != null) {
                call.output(0).finishReason = stopReason;
            }
        }
    }

    private static int index(Map<String, JsonValue> event) {
        JsonValue index = event.get("index");
        Object number = index == null ? null : index.asNumber().orElse(null);
        return number instanceof Number position ? position.intValue() : -1;
    }

    /**
     * {@code content_block_start}: blocks arrive one after another, so a text or thinking block opens a
     * part that the following deltas grow; a tool call is found again by its block index.
     */
    private static void blockStarted(InferenceCall call, int index, Map<String, JsonValue> block) {
        Message output = call.output(0);
        String type = string(block, "type");
        if ("text".equals(type)) {
            output.add(Part.text(string(block, "text")));
        } else if ("thinking".equals(type)) {
            output.add(Part.reasoning(string(block, "thinking")));
        } else if (isToolUse(type)) {
            Part toolCall = output.toolCall(string(block, "id"), index);
            toolCall.name = string(block, "name");
            // the API opens a tool call with an empty input and sends the JSON in input_json_delta pieces
            JsonValue input = block.get("input");
            if (input != null && !fields(input).isEmpty()) {
                toolCall.appendArguments(json(input));
            }
        } else {
            output.add(part(block));
        }
    }

    private static void blockDelta(InferenceCall call, int index, Map<String, JsonValue> delta) {
        String type = string(delta, "type");
        if ("text_delta".equals(type)) {
            call.output(0).appendText(string(delta, "text"));
        } else if ("thinking_delta".equals(type)) {
            call.output(0).appendReasoning(string(delta, "thinking"));
        } else if ("input_json_delta".equals(type)) {
            call.output(0).toolCall(null, index).appendArguments(string(delta, "partial_json"));
        }
        // signature_delta and citations_delta carry nothing the content schema has a place for
    }

    /** The tool runner's tool_use block: its input, as the model sent it. */
    static String toolArguments(Object toolUseBlock) {
        JsonValue input = wire(toolUseBlock).get("input");
        return input == null ? null : json(input);
    }

    /** The tool runner's tool_result block: what goes back to the model. */
    static String toolResult(Object toolResultBlock) {
        return resultText(wire(toolResultBlock).get("content"));
    }

    private static List<String> systemTexts(JsonValue system) {
        List<String> texts = new ArrayList<>();
        Optional<String> whole = text(system);
        if (whole.isPresent()) {
            texts.add(whole.get());
        } else {
            for (JsonValue block : elements(system)) {
                String text = string(fields(block), "text");
                if (text != null) {
                    texts.add(text);
                }
            }
        }
        return texts;
    }

    private static Message message(Map<String, JsonValue> wire) {
        String role = string(wire, "role");
        JsonValue content = wire.get("content");
        Optional<String> text = content == null ? Optional.empty() : text(content);
        if (text.isPresent()) {
            return Message.text(role, text.get());
        }
        List<Part> parts = new ArrayList<>();
        boolean onlyToolResults = true;
        for (JsonValue block : content == null ? List.<JsonValue>of() : elements(content)) {
            Part part = part(fields(block));
            onlyToolResults &= Part.TOOL_CALL_RESPONSE.equals(part.type);
            parts.add(part);
        }
        // the API sends tool results in a user message; semconv gives such a message the tool role
        Message message = new Message(onlyToolResults && !parts.isEmpty() ? "tool" : role);
        parts.forEach(message::add);
        return message;
    }

    private static Part part(Map<String, JsonValue> block) {
        String type = string(block, "type");
        if (type == null) {
            return new Part("unknown");
        }
        switch (type) {
            case "text":
                return Part.text(string(block, "text"));
            case "thinking":
                return Part.reasoning(string(block, "thinking"));
            case "image":
            case "document":
                return media(type, block);
            case "tool_result":
                return Part.toolCallResponse(string(block, "tool_use_id"), resultText(block.get("content")));
            default:
                if (isToolUse(type)) {
                    JsonValue input = block.get("input");
                    return Part.toolCall(string(block, "id"), string(block, "name"), input == null ? null : json(input));
                }
                // redacted_thinking, server tool results, blocks newer than this helper: named, not read
                return new Part(type);
        }
    }

    /** A server-side tool call (web search, code execution) is still a call the model asked for. */
    private static boolean isToolUse(String type) {
        return "tool_use".equals(type) || "server_tool_use".equals(type);
    }

    /** An image or a document: inline data is recorded by its size, a URL or file id as such. */
    private static Part media(String modality, Map<String, JsonValue> block) {
        Map<String, JsonValue> source = object(block, "source");
        String sourceType = string(source, "type");
        if ("base64".equals(sourceType)) {
            String data = string(source, "data");
            return Part.blob(modality, string(source, "media_type"), data == null ? -1 : Part.base64Size(data, 0));
        }
        if ("url".equals(sourceType)) {
            return Part.uri(modality, null, string(source, "url"));
        }
        if ("file".equals(sourceType)) {
            Part file = new Part(Part.FILE);
            file.modality = modality;
            file.fileId = string(source, "file_id");
            return file;
        }
        // a plain-text or content-block document source: the document's own text is not copied
        Part part = new Part(modality);
        part.mimeType = string(source, "media_type");
        return part;
    }

    /** A tool result's content: its text, or its text blocks joined (images in it are left out). */
    private static String resultText(JsonValue content) {
        if (content == null) {
            return null;
        }
        Optional<String> whole = text(content);
        if (whole.isPresent()) {
            return whole.get();
        }
        StringBuilder text = new StringBuilder();
        for (JsonValue block : elements(content)) {
            Map<String, JsonValue> fields = fields(block);
            if ("text".equals(string(fields, "type"))) {
                text.append(text.length() == 0 ? "" : "\n").append(string(fields, "text"));
            }
        }
        return text.toString();
    }

    /** Custom tools are functions; the server's own tools (bash, web search, …) keep their versioned type. */
    private static ToolDefinition toolDefinition(Map<String, JsonValue> tool) {
        String type = string(tool, "type");
        String name = string(tool, "name");
        if (type == null || "custom".equals(type)) {
            JsonValue schema = tool.get("input_schema");
            return ToolDefinition.function(name, string(tool, "description"), schema == null ? null : json(schema));
        }
        return new ToolDefinition(type, name);
    }

    private static Map<String, JsonValue> wire(Object sdkObject) {
        return fields(JsonValue.from(sdkObject));
    }

    private static Map<String, JsonValue> object(Map<String, JsonValue> fields, String key) {
        JsonValue value = fields.get(key);
        return value == null ? Map.of() : fields(value);
    }

    private static String string(Map<String, JsonValue> fields, String key) {
        JsonValue value = fields.get(key);
        return value == null ? null : text(value).orElse(null);
    }

    // JsonValue extends the raw JsonField, so its typed accessors reach Java without their type arguments

    @SuppressWarnings("unchecked")
    private static Map<String, JsonValue> fields(JsonValue value) {
        return (Map<String, JsonValue>) value.asObject().orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<JsonValue> elements(JsonValue value) {
        return (List<JsonValue>) value.asArray().orElse(List.of());
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> text(JsonValue value) {
        return (Optional<String>) value.asString();
    }

    /**
     * JSON text of a value, written here: the SDK's own mapper is Jackson, which the agent jar relocates,
     * so a helper must not link against it.
     */
    static String json(JsonValue value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, JsonValue value) {
        Map<String, JsonValue> fields = fields(value);
        if (!fields.isEmpty() || value.asObject().isPresent()) {
            out.append('{');
            String separator = "";
            for (Map.Entry<String, JsonValue> field : fields.entrySet()) {
                out.append(separator);
                JsonText.quote(out, field.getKey());
                out.append(':');
                write(out, field.getValue());
                separator = ",";
            }
            out.append('}');
        } else if (value.asArray().isPresent()) {
            out.append('[');
            String separator = "";
            for (JsonValue element : elements(value)) {
                out.append(separator);
                write(out, element);
                separator = ",";
            }
            out.append(']');
        } else if (value.asString().isPresent()) {
            JsonText.quote(out, text(value).orElse(""));
        } else {
            // a number or boolean prints as JSON; null and missing print as null
            out.append(value.asNumber().or(value::asBoolean).map(Object::toString).orElse("null"));
        }
    }
}
