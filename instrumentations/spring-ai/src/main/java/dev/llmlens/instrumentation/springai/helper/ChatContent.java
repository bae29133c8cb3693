package dev.llmlens.instrumentation.springai.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.util.MimeType;

/**
 * A Spring AI prompt and its generations in the neutral shape, read only while content capture is on.
 * Spring AI sends its system message as a message: it stays among the input messages.
 */
final class ChatContent {

    private ChatContent() {}

    static void readPrompt(Prompt prompt, InferenceCall call) {
        try {
            List<Message> input = new ArrayList<>();
            for (org.springframework.ai.chat.messages.Message message : prompt.getInstructions()) {
                input.add(message(message));
            }
            call.inputMessages = input;
            if (prompt.getOptions() instanceof ToolCallingChatOptions options && options.getToolCallbacks() != null
                    && !options.getToolCallbacks().isEmpty()) {
                List<ToolDefinition> definitions = new ArrayList<>();
                for (ToolCallback callback : options.getToolCallbacks()) {
                    org.springframework.ai.tool.definition.ToolDefinition definition = callback.getToolDefinition();
                    definitions.add(ToolDefinition.function(definition.name(), definition.description(), null));
                }
                call.toolDefinitions = definitions;
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(SpringAiHooks.MODULE, t);
        }
    }

    /** A whole response: one output message per generation. */
    static void readResponse(ChatResponse response, InferenceCall call) {
        try {
            List<Generation> generations = response.getResults();
            for (int i = 0; generations != null && i < generations.size(); i++) {
                Generation generation = generations.get(i);
                Message output = call.output(i);
                AssistantMessage answer = generation == null ? null : generation.getOutput();
                if (answer != null) {
                    addText(output, text(answer));
                    addToolCalls(output, answer);
                }
                output.finishReason = finishReason(generation);
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(SpringAiHooks.MODULE, t);
        }
    }

    /** A stream's chunk: its text appended to its generation's message, its tool calls found or added by id. */
    static void readChunk(ChatResponse chunk, InferenceCall call) {
        try {
            List<Generation> generations = chunk.getResults();
            for (int i = 0; generations != null && i < generations.size(); i++) {
                Generation generation = generations.get(i);
                AssistantMessage delta = generation == null ? null : generation.getOutput();
                Message output = call.output(i);
                if (delta != null) {
                    output.appendText(text(delta));
                    List<AssistantMessage.ToolCall> toolCalls = delta.getToolCalls();
                    for (int t = 0; toolCalls != null && t < toolCalls.size(); t++) {
                        AssistantMessage.ToolCall toolCall = toolCalls.get(t);
                        Part part = output.toolCall(emptyToNull(toolCall.id()), t);
                        if (part.name == null) {
                            part.name = emptyToNull(toolCall.name());
                        }
                        part.appendArguments(toolCall.arguments());
                    }
                }
                String reason = finishReason(generation);
                if (reason != null) {
                    output.finishReason = reason;
                }
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(SpringAiHooks.MODULE, t);
        }
    }

    private static Message message(org.springframework.ai.chat.messages.Message message) {
        if (message instanceof SystemMessage) {
            return Message.text("system", message.getText());
        }
        if (message instanceof ToolResponseMessage tools) {
            Message converted = new Message("tool");
            for (ToolResponseMessage.ToolResponse response : tools.getResponses()) {
                converted.add(Part.toolCallResponse(response.id(), response.responseData()));
            }
            return converted;
        }
        if (message instanceof AssistantMessage answer) {
            Message converted = new Message("assistant");
            addText(converted, message.getText());
            addMedia(converted, answer.getMedia());
            addToolCalls(converted, answer);
            return converted;
        }
        if (message instanceof UserMessage user) {
            Message converted = new Message("user");
            // getText through the interface: 2.0 no longer declares it on UserMessage itself
            addText(converted, message.getText());
            addMedia(converted, user.getMedia());
            return converted;
        }
        MessageType type = message.getMessageType();
        Message converted = new Message(type == null ? "user" : type.getValue());
        addText(converted, message.getText());
        return converted;
    }

    private static String text(org.springframework.ai.chat.messages.Message message) {
        return message.getText();
    }

    private static void addText(Message message, String text) {
        // a message with only tool calls or media carries an empty text: no part for it
        if (text != null && !text.isEmpty()) {
            message.add(Part.text(text));
        }
    }

    private static void addToolCalls(Message message, AssistantMessage answer) {
        if (answer.getToolCalls() != null) {
            for (AssistantMessage.ToolCall toolCall : answer.getToolCalls()) {
                message.add(Part.toolCall(emptyToNull(toolCall.id()), toolCall.name(), toolCall.arguments()));
            }
        }
    }

    private static void addMedia(Message message, List<Media> media) {
        if (media == null) {
            return;
        }
        for (Media item : media) {
            MimeType mimeType = item.getMimeType();
            String modality = modality(mimeType);
            String mime = mimeType == null ? null : mimeType.toString();
            Object data = item.getData();
            if (data instanceof byte[] bytes) {
                message.add(Part.blob(modality, mime, bytes.length));
            } else if (data instanceof String uri && uri.startsWith("data:")) {
                // inline bytes spelled as a data URL: their size, never the bytes
                int comma = uri.indexOf(',');
                message.add(Part.blob(modality, mime, comma < 0 ? 0 : Part.base64Size(uri, comma + 1)));
            } else if (data instanceof String uri) {
                message.add(Part.uri(modality, mime, uri));
            }
        }
    }

    private static String modality(MimeType mimeType) {
        if (mimeType == null) {
            return null;
        }
        String type = mimeType.getType().toLowerCase(Locale.ROOT);
        return type.equals("image") || type.equals("audio") || type.equals("video") ? type : "document";
    }

    private static String finishReason(Generation generation) {
        ChatGenerationMetadata metadata = generation == null ? null : generation.getMetadata();
        String reason = metadata == null ? null : metadata.getFinishReason();
        // as the span records it: Spring AI passes the provider's enum names through
        return reason == null || reason.isEmpty() ? null : reason.toLowerCase(Locale.ROOT);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
