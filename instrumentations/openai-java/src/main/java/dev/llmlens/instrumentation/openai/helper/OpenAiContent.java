package dev.llmlens.instrumentation.openai.helper;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionTool;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputContent;
import com.openai.models.responses.ResponseInputFile;
import com.openai.models.responses.ResponseInputImage;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.Tool;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompts, answers and tool definitions of openai-java calls, read through the SDK's typed getters
 * into the neutral content model. Called only for calls that started while content capture was on
 * ({@code call.inputMessages != null} marks them); inline bytes (data: URLs, audio, files) are only measured.
 */
final class OpenAiContent {

    /** Not a semconv part type: a refusal is the model declining, kept apart from its text. */
    static final String REFUSAL = "refusal";

    private OpenAiContent() {}

    // --- Chat Completions

    static void chatRequest(ChatCompletionCreateParams params, InferenceCall call) {
        List<Message> messages = new ArrayList<>();
        for (ChatCompletionMessageParam param : params.messages()) {
            messages.add(chatMessage(param));
        }
        call.inputMessages = messages;
        params.tools().ifPresent(tools -> call.toolDefinitions = chatTools(tools));
    }

    private static Message chatMessage(ChatCompletionMessageParam param) {
        if (param.isDeveloper()) {
            var content = param.asDeveloper().content();
            return texts("developer", content.isText() ? List.of(content.asText()) : textsOf(content.asArrayOfContentParts()));
        }
        if (param.isSystem()) {
            var content = param.asSystem().content();
            return texts("system", content.isText() ? List.of(content.asText()) : textsOf(content.asArrayOfContentParts()));
        }
        if (param.isUser()) {
            var content = param.asUser().content();
            if (content.isText()) {
                return Message.text("user", content.asText());
            }
            Message user = new Message("user");
            for (ChatCompletionContentPart part : content.asArrayOfContentParts()) {
                user.add(userPart(part));
            }
            return user;
        }
        if (param.isAssistant()) {
            return assistantMessage(param.asAssistant());
        }
        if (param.isTool()) {
            var tool = param.asTool();
            var content = tool.content();
            String result = content.isText() ? content.asText() : String.join("", textsOf(content.asArrayOfContentParts()));
            return new Message("tool").add(Part.toolCallResponse(tool.toolCallId(), result));
        }
        if (param.isFunction()) {
            // the deprecated function role: a result that names its function instead of a call id
            var function = param.asFunction();
            return new Message("tool").add(Part.toolCallResponse(null, function.content().orElse(null)));
        }
        return new Message("unknown");
    }

    private static Part userPart(ChatCompletionContentPart part) {
        if (part.isText()) {
            return Part.text(part.asText().text());
        }
        if (part.isImageUrl()) {
            return urlPart("image", part.asImageUrl().imageUrl().url());
        }
        if (part.isInputAudio()) {
            var audio = part.asInputAudio().inputAudio();
            return Part.blob("audio", "audio/" + audio.format(), Part.base64Size(audio.data(), 0));
        }
        if (part.isFile()) {
            var file = part.asFile().file();
            if (file.fileId().isPresent()) {
                return filePart("document", file.fileId().get());
            }
            return Part.blob("document", null, file.fileData().map(OpenAiContent::dataBytes).orElse(-1L));
        }
        return new Part("unknown");
    }

    private static Message assistantMessage(ChatCompletionAssistantMessageParam assistant) {
        Message message = new Message("assistant");
        assistant.content().ifPresent(content -> {
            if (content.isText()) {
                message.add(Part.text(content.asText()));
            } else {
                for (var part : content.asArrayOfContentParts()) {
                    message.add(part.isText() ? Part.text(part.asText().text())
                            : new Part(REFUSAL).append(part.asRefusal().refusal()));
                }
            }
        });
        assistant.refusal().ifPresent(refusal -> message.add(new Part(REFUSAL).append(refusal)));
        assistant.toolCalls().ifPresent(calls -> calls.forEach(toolCall -> message.add(toolCallPart(toolCall))));
        assistant.functionCall().ifPresent(f -> message.add(Part.toolCall(null, f.name(), f.arguments())));
        return message;
    }

    private static Part toolCallPart(ChatCompletionMessageToolCall toolCall) {
        if (toolCall.isFunction()) {
            var function = toolCall.asFunction();
            return Part.toolCall(function.id(), function.function().name(), function.function().arguments());
        }
        var custom = toolCall.asCustom();
        return Part.toolCall(custom.id(), custom.custom().name(), custom.custom().input());
    }

    private static List<ToolDefinition> chatTools(List<ChatCompletionTool> tools) {
        List<ToolDefinition> definitions = new ArrayList<>();
        for (ChatCompletionTool tool : tools) {
            if (tool.isFunction()) {
                var function = tool.asFunction().function();
                definitions.add(ToolDefinition.function(function.name(), function.description().orElse(null),
                        function.parameters().map(OpenAiContent::json).orElse(null)));
            } else if (tool.isCustom()) {
                var custom = tool.asCustom().custom();
                ToolDefinition definition = new ToolDefinition("custom", custom.name());
                definition.description = custom.description().orElse(null);
                definitions.add(definition);
            }
        }
        return definitions;
    }

    static void chatOutput(ChatCompletion chat, InferenceCall call) {
        for (ChatCompletion.Choice choice : chat.choices()) {
            Message message = call.output((int) choice.index());
            ChatCompletionMessage answer = choice.message();
            answer.content().ifPresent(text -> message.add(Part.text(text)));
            answer.refusal().ifPresent(refusal -> message.add(new Part(REFUSAL).append(refusal)));
            answer.toolCalls().ifPresent(calls -> calls.forEach(toolCall -> message.add(toolCallPart(toolCall))));
            answer.functionCall().ifPresent(f -> message.add(Part.toolCall(null, f.name(), f.arguments())));
            message.finishReason = choice.finishReason().toString();
        }
    }

    /** A stream's deltas, appended to the choice they belong to; tool calls come in pieces keyed by index. */
    static void chatChunk(ChatCompletionChunk chunk, InferenceCall call) {
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
            Message message = call.output((int) choice.index());
            var delta = choice.delta();
            delta.content().ifPresent(message::appendText);
            delta.refusal().ifPresent(refusal -> appendRefusal(message, refusal));
            delta.toolCalls().ifPresent(calls -> {
                for (var toolCall : calls) {
                    Part part = message.toolCall(toolCall.id().orElse(null), (int) toolCall.index());
                    toolCall.function().ifPresent(function -> {
                        function.name().ifPresent(name -> part.name = name);
                        function.arguments().ifPresent(part::appendArguments);
                    });
                }
            });
            choice.finishReason().ifPresent(reason -> message.finishReason = reason.toString());
        }
    }

    private static void appendRefusal(Message message, String delta) {
        Part last = message.parts.isEmpty() ? null : message.parts.get(message.parts.size() - 1);
        if (last != null && REFUSAL.equals(last.type)) {
            last.append(delta);
        } else {
            message.add(new Part(REFUSAL).append(delta));
        }
    }

    // --- Responses API

    static void responsesRequest(ResponseCreateParams params, InferenceCall call) {
        params.instructions().ifPresent(instructions -> call.systemInstructions = List.of(instructions));
        List<Message> messages = new ArrayList<>();
        params.input().ifPresent(input -> {
            if (input.isText()) {
                messages.add(Message.text("user", input.asText()));
            } else {
                for (ResponseInputItem item : input.asResponse()) {
                    Message message = inputItem(item);
                    if (message != null) {
                        messages.add(message);
                    }
                }
            }
        });
        call.inputMessages = messages;
        params.tools().ifPresent(tools -> call.toolDefinitions = responseTools(tools));
    }

    /** @return null for item kinds that carry no conversation content (hosted tool calls, references) */
    private static Message inputItem(ResponseInputItem item) {
        if (item.isEasyInputMessage()) {
            EasyInputMessage easy = item.asEasyInputMessage();
            var content = easy.content();
            if (content.isTextInput()) {
                return Message.text(easy.role().toString(), content.asTextInput());
            }
            return inputContents(easy.role().toString(), content.asResponseInputMessageContentList());
        }
        if (item.isMessage()) {
            var message = item.asMessage();
            return inputContents(message.role().toString(), message.content());
        }
        if (item.isResponseOutputMessage()) {
            Message message = new Message("assistant");
            outputMessageParts(item.asResponseOutputMessage(), message);
            return message;
        }
        if (item.isFunctionCall()) {
            return new Message("assistant").add(functionCallPart(item.asFunctionCall()));
        }
        if (item.isFunctionCallOutput()) {
            var output = item.asFunctionCallOutput();
            // callId() returns String up to 4.x and Optional<String> later: the raw field reads the same in both
            String callId = output._callId().asKnown().orElse(null);
            return new Message("tool").add(Part.toolCallResponse(callId, functionOutput(output.output())));
        }
        if (item.isReasoning()) {
            Message message = new Message("assistant");
            reasoningParts(item.asReasoning(), message);
            return message;
        }
        if (item.isCustomToolCall()) {
            var custom = item.asCustomToolCall();
            return new Message("assistant").add(Part.toolCall(custom.callId(), custom.name(), custom.input()));
        }
        return null;
    }

    private static String functionOutput(ResponseInputItem.FunctionCallOutput.Output output) {
        if (output.isString()) {
            return output.asString();
        }
        StringBuilder text = new StringBuilder();
        for (var item : output.asResponseFunctionCallOutputItemList()) {
            if (item.isInputText()) {
                text.append(item.asInputText().text());
            }
        }
        return text.toString();
    }

    private static Message inputContents(String role, List<ResponseInputContent> contents) {
        Message message = new Message(role);
        for (ResponseInputContent content : contents) {
            if (content.isInputText()) {
                message.add(Part.text(content.asInputText().text()));
            } else if (content.isInputImage()) {
                ResponseInputImage image = content.asInputImage();
                message.add(image.imageUrl().isPresent() ? urlPart("image", image.imageUrl().get())
                        : filePart("image", image.fileId().orElse(null)));
            } else if (content.isInputFile()) {
                message.add(inputFile(content.asInputFile()));
            }
        }
        return message;
    }

    private static Part inputFile(ResponseInputFile file) {
        if (file.fileId().isPresent()) {
            return filePart("document", file.fileId().get());
        }
        if (file.fileUrl().isPresent()) {
            return urlPart("document", file.fileUrl().get());
        }
        return Part.blob("document", null, file.fileData().map(OpenAiContent::dataBytes).orElse(-1L));
    }

    private static List<ToolDefinition> responseTools(List<Tool> tools) {
        List<ToolDefinition> definitions = new ArrayList<>();
        for (Tool tool : tools) {
            if (tool.isFunction()) {
                FunctionTool function = tool.asFunction();
                definitions.add(ToolDefinition.function(function.name(), function.description().orElse(null),
                        function.parameters().map(OpenAiContent::json).orElse(null)));
            } else {
                // hosted tools (web_search, file_search, mcp, …): their wire type names them
                var tree = ObjectMappers.jsonMapper().valueToTree(tool);
                String type = tree.path("type").asText("unknown");
                definitions.add(new ToolDefinition(type, tree.path("name").asText(type)));
            }
        }
        return definitions;
    }

    /** The whole answer is one choice; a stream's created event (empty output) is replaced by its completed one. */
    static void responseOutput(Response response, InferenceCall call) {
        Message message = new Message("assistant");
        for (ResponseOutputItem item : response.output()) {
            if (item.isMessage()) {
                outputMessageParts(item.asMessage(), message);
            } else if (item.isFunctionCall()) {
                message.add(functionCallPart(item.asFunctionCall()));
            } else if (item.isReasoning()) {
                reasoningParts(item.asReasoning(), message);
            } else if (item.isCustomToolCall()) {
                var custom = item.asCustomToolCall();
                message.add(Part.toolCall(custom.callId(), custom.name(), custom.input()));
            }
        }
        if (message.parts.isEmpty()) {
            return;
        }
        message.finishReason = response.incompleteDetails().flatMap(details -> details.reason())
                .map(Object::toString)
                .orElseGet(() -> response.status().map(Object::toString).orElse(null));
        call.outputMessages.clear();
        call.outputMessages.add(message);
    }

    private static void outputMessageParts(ResponseOutputMessage output, Message message) {
        for (var content : output.content()) {
            message.add(content.isOutputText() ? Part.text(content.asOutputText().text())
                    : new Part(REFUSAL).append(content.asRefusal().refusal()));
        }
    }

    private static Part functionCallPart(ResponseFunctionToolCall call) {
        return Part.toolCall(call.callId(), call.name(), call.arguments());
    }

    private static void reasoningParts(ResponseReasoningItem reasoning, Message message) {
        for (var summary : reasoning.summary()) {
            message.add(Part.reasoning(summary.text()));
        }
    }

    // --- media and helpers

    /** A data: URL carries the bytes themselves: only its type and size are kept. */
    private static Part urlPart(String modality, String url) {
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            int semicolon = url.indexOf(';');
            int mimeEnd = semicolon > 0 && semicolon < comma ? semicolon : comma;
            String mimeType = mimeEnd > 5 ? url.substring(5, mimeEnd) : null;
            return Part.blob(modality, mimeType, dataBytes(url));
        }
        return Part.uri(modality, null, url);
    }

    private static Part filePart(String modality, String fileId) {
        Part part = new Part(Part.FILE);
        part.modality = modality;
        part.fileId = fileId;
        return part;
    }

    /** The decoded size of a data: URL or bare base64 text, without decoding (or copying) it. */
    static long dataBytes(String data) {
        int comma = data.startsWith("data:") ? data.indexOf(',') : -1;
        if (comma >= 0 && !data.regionMatches(comma - 7, ";base64", 0, 7)) {
            return data.length() - comma - 1; // percent-encoded text: close enough, and never the bytes
        }
        return Part.base64Size(data, comma + 1);
    }

    private static Message texts(String role, List<String> texts) {
        Message message = new Message(role);
        texts.forEach(text -> message.add(Part.text(text)));
        return message;
    }

    private static List<String> textsOf(List<ChatCompletionContentPartText> parts) {
        List<String> texts = new ArrayList<>(parts.size());
        parts.forEach(part -> texts.add(part.text()));
        return texts;
    }

    /** A JSON-schema object the SDK holds as JSON values, as the JSON text that was sent. */
    private static String json(Object value) {
        try {
            return ObjectMappers.jsonMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
