package dev.llmlens.instrumentation.bedrock.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Content capture for InvokeModel bodies. Anthropic's Messages body (the most used on Bedrock) is read
 * in full: system, messages, tools, content blocks, stream deltas. Chat bodies of other families give
 * their plain-text messages; prompt families (Titan, Llama, Mistral's prompt API, Cohere) give the
 * prompt as one user message and the completion text as the output. Callers call it only while capture
 * is on.
 */
final class InvokeContent {

    private InvokeContent() {}

    static void readRequest(InferenceCall call, JsonNode body) {
        List<JsonNode> messages = Json.array(body, "messages");
        if (!messages.isEmpty()) {
            List<Message> input = new ArrayList<>(messages.size());
            for (JsonNode message : messages) {
                input.add(message(message));
            }
            call.inputMessages = input;
            readSystem(call, Json.at(body, "system"));
            readTools(call, Json.array(body, "tools"));
            return;
        }
        // prompt families: the prompt, or Cohere's message, is what the user said
        for (String prompt : new String[] {"prompt", "inputText", "message"}) {
            String text = Json.text(body, prompt);
            if (text != null) {
                call.inputMessages = List.of(Message.text("user", text));
                return;
            }
        }
    }

    static void readResponse(InferenceCall call, JsonNode body) {
        if (body == null) {
            return;
        }
        if ("message".equals(Json.text(body, "type"))) {
            Message output = call.output(0);
            Json.array(body, "content").forEach(block -> output.add(part(block)));
            output.finishReason = Json.text(body, "stop_reason");
            return;
        }
        // Nova: a Converse-shaped message with text blocks
        JsonNode nova = Json.at(body, "output", "message");
        if (nova != null) {
            Message output = call.output(0);
            Json.array(nova, "content").forEach(block -> output.add(part(block)));
            output.finishReason = Json.text(body, "stopReason");
            return;
        }
        List<JsonNode> choices = new ArrayList<>(Json.array(body, "results"));
        choices.addAll(Json.array(body, "outputs"));
        choices.addAll(Json.array(body, "choices"));
        choices.addAll(Json.array(body, "generations"));
        if (choices.isEmpty()) {
            choices.add(body);
        }
        for (int index = 0; index < choices.size(); index++) {
            JsonNode choice = choices.get(index);
            String text = completion(choice);
            if (text != null) {
                Message output = call.output(index);
                output.add(Part.text(text));
                output.finishReason = ModelBodies.firstText(choice, "completionReason", "stop_reason", "finish_reason");
            }
        }
    }

    /** One stream chunk: Anthropic's block events, or the text piece other families send. */
    static void readChunk(InferenceCall call, JsonNode chunk) {
        if (chunk == null) {
            return;
        }
        String type = Json.text(chunk, "type");
        if ("content_block_start".equals(type)) {
            blockStarted(call, index(chunk), Json.at(chunk, "content_block"));
        } else if ("content_block_delta".equals(type)) {
            blockDelta(call, index(chunk), Json.at(chunk, "delta"));
        } else if ("message_delta".equals(type)) {
            setFinishReason(call, Json.text(chunk, "delta", "stop_reason"));
        } else if (type == null) {
            String text = Json.text(chunk, "contentBlockDelta", "delta", "text");
            if (text == null) {
                text = completion(chunk);
            }
            if (text == null && !Json.array(chunk, "outputs").isEmpty()) {
                text = Json.text(Json.array(chunk, "outputs").get(0), "text");
            }
            if (text == null && !Json.array(chunk, "choices").isEmpty()) {
                text = Json.text(Json.array(chunk, "choices").get(0), "delta", "content");
            }
            if (text == null && "text-generation".equals(Json.text(chunk, "event_type"))) {
                text = Json.text(chunk, "text");
            }
            if (text != null) {
                call.output(0).appendText(text);
            }
            setFinishReason(call, ModelBodies.firstText(chunk, "completionReason", "stop_reason"));
            setFinishReason(call, Json.text(chunk, "messageStop", "stopReason"));
        }
    }

    private static void setFinishReason(InferenceCall call, String reason) {
        if (reason != null) {
            call.output(0).finishReason = reason;
        }
    }

    private static void blockStarted(InferenceCall call, int index, JsonNode block) {
        String type = Json.text(block, "type");
        Message output = call.output(0);
        if ("text".equals(type)) {
            output.add(Part.text(Json.text(block, "text")));
        } else if ("thinking".equals(type)) {
            output.add(Part.reasoning(Json.text(block, "thinking")));
        } else if ("tool_use".equals(type)) {
            // its input arrives in input_json_delta pieces
            Part toolCall = output.toolCall(Json.text(block, "id"), index);
            toolCall.name = Json.text(block, "name");
        } else if (block != null) {
            output.add(part(block));
        }
    }

    private static void blockDelta(InferenceCall call, int index, JsonNode delta) {
        String type = Json.text(delta, "type");
        if ("text_delta".equals(type)) {
            call.output(0).appendText(Json.text(delta, "text"));
        } else if ("thinking_delta".equals(type)) {
            call.output(0).appendReasoning(Json.text(delta, "thinking"));
        } else if ("input_json_delta".equals(type)) {
            call.output(0).toolCall(null, index).appendArguments(Json.text(delta, "partial_json"));
        }
    }

    private static int index(JsonNode chunk) {
        Long index = Json.number(chunk, "index");
        return index == null ? -1 : index.intValue();
    }

    private static Message message(JsonNode message) {
        String role = Json.text(message, "role");
        JsonNode content = Json.at(message, "content");
        if (content != null && content.isString()) {
            return Message.text(role, content.asString());
        }
        List<Part> parts = new ArrayList<>();
        boolean onlyToolResults = content != null && content.isArray() && !content.asArray().isEmpty();
        for (JsonNode block : Json.array(message, "content")) {
            Part part = part(block);
            onlyToolResults &= Part.TOOL_CALL_RESPONSE.equals(part.type);
            parts.add(part);
        }
        Message captured = new Message(onlyToolResults ? "tool" : role);
        parts.forEach(captured::add);
        return captured;
    }

    /** An Anthropic content block, or a Nova one (keyed by its kind, with no type). */
    private static Part part(JsonNode block) {
        String type = Json.text(block, "type");
        if (type == null) {
            String text = Json.text(block, "text");
            return text != null ? Part.text(text) : new Part("unknown");
        }
        switch (type) {
            case "text":
                return Part.text(Json.text(block, "text"));
            case "thinking":
                return Part.reasoning(Json.text(block, "thinking"));
            case "tool_use":
                JsonNode input = Json.at(block, "input");
                return Part.toolCall(Json.text(block, "id"), Json.text(block, "name"), input == null ? null : input.toString());
            case "tool_result":
                return Part.toolCallResponse(Json.text(block, "tool_use_id"), resultText(Json.at(block, "content")));
            case "image":
            case "document":
                String data = Json.text(block, "source", "data");
                return Part.blob(type, Json.text(block, "source", "media_type"), data == null ? -1 : Part.base64Size(data, 0));
            default:
                return new Part(type);
        }
    }

    private static String resultText(JsonNode content) {
        if (content == null || content.isString()) {
            return content == null ? null : content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content.isArray() ? content.asArray() : List.<JsonNode>of()) {
            String piece = Json.text(block, "text");
            if (piece != null) {
                text.append(text.length() == 0 ? "" : "\n").append(piece);
            }
        }
        return text.toString();
    }

    private static void readSystem(InferenceCall call, JsonNode system) {
        if (system == null) {
            return;
        }
        List<String> texts = new ArrayList<>();
        if (system.isString()) {
            texts.add(system.asString());
        }
        for (JsonNode block : system.isArray() ? system.asArray() : List.<JsonNode>of()) {
            String text = Json.text(block, "text");
            if (text != null) {
                texts.add(text);
            }
        }
        call.systemInstructions = texts;
    }

    private static void readTools(InferenceCall call, List<JsonNode> tools) {
        if (tools.isEmpty()) {
            return;
        }
        List<ToolDefinition> definitions = new ArrayList<>(tools.size());
        for (JsonNode tool : tools) {
            String type = Json.text(tool, "type");
            if (type == null || "custom".equals(type)) {
                JsonNode schema = Json.at(tool, "input_schema");
                definitions.add(ToolDefinition.function(Json.text(tool, "name"), Json.text(tool, "description"),
                        schema == null ? null : schema.toString()));
            } else {
                definitions.add(new ToolDefinition(type, Json.text(tool, "name")));
            }
        }
        call.toolDefinitions = definitions;
    }

    /** The completion text of the prompt families, under the key each one uses. */
    private static String completion(JsonNode choice) {
        String text = ModelBodies.firstText(choice, "outputText", "generation", "completion", "text");
        return text != null ? text : Json.text(choice, "message", "content");
    }
}
