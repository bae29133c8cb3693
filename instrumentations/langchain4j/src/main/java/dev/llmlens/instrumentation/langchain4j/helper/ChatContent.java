package dev.llmlens.instrumentation.langchain4j.helper;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.audio.Audio;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.message.VideoContent;
import dev.langchain4j.data.pdf.PdfFile;
import dev.langchain4j.data.video.Video;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The messages of a langchain4j chat call in the neutral shape, read only while content capture is on.
 * langchain4j sends a system message as a message, so it stays among the input messages. A stream's
 * answer is taken whole from the complete response the listeners get: langchain4j has assembled it.
 */
final class ChatContent {

    private ChatContent() {}

    static void readRequest(ChatRequest request, InferenceCall call) {
        try {
            List<Message> input = new ArrayList<>();
            for (ChatMessage message : request.messages()) {
                Message converted = message(message);
                if (converted != null) {
                    input.add(converted);
                }
            }
            call.inputMessages = input;
            List<ToolSpecification> tools = request.toolSpecifications();
            if (tools != null && !tools.isEmpty()) {
                List<ToolDefinition> definitions = new ArrayList<>();
                for (ToolSpecification tool : tools) {
                    // the parameters are langchain4j's schema objects, not JSON Schema text
                    definitions.add(ToolDefinition.function(tool.name(), tool.description(), null));
                }
                call.toolDefinitions = definitions;
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(ChatHooks.MODULE, t);
        }
    }

    /** @param finishReason as the span records it */
    static void readResponse(ChatResponse response, String finishReason, InferenceCall call) {
        try {
            Message output = call.output(0);
            addAiParts(response.aiMessage(), output);
            output.finishReason = finishReason;
        } catch (Throwable t) {
            LlmLens.instrumentationError(ChatHooks.MODULE, t);
        }
    }

    private static Message message(ChatMessage message) {
        if (message instanceof SystemMessage system) {
            return Message.text("system", system.text());
        }
        if (message instanceof UserMessage user) {
            Message converted = new Message("user");
            for (Content content : user.contents()) {
                converted.add(part(content));
            }
            return converted;
        }
        if (message instanceof AiMessage ai) {
            Message converted = new Message("assistant");
            addAiParts(ai, converted);
            return converted;
        }
        if (message instanceof ToolExecutionResultMessage result) {
            return new Message("tool").add(Part.toolCallResponse(result.id(), result.text()));
        }
        // a provider's CustomMessage: free-form attributes with no role or parts to map
        return null;
    }

    private static void addAiParts(AiMessage ai, Message into) {
        if (ai == null) {
            return;
        }
        // thinking exists from the 1.x lines that return it; absent before
        if (Reflection.call(ai, "thinking") instanceof String thinking && !thinking.isEmpty()) {
            into.add(Part.reasoning(thinking));
        }
        if (ai.text() != null) {
            into.add(Part.text(ai.text()));
        }
        if (ai.toolExecutionRequests() != null) {
            for (ToolExecutionRequest request : ai.toolExecutionRequests()) {
                into.add(Part.toolCall(request.id(), request.name(), request.arguments()));
            }
        }
    }

    private static Part part(Content content) {
        if (content instanceof TextContent text) {
            return Part.text(text.text());
        }
        if (content instanceof ImageContent image) {
            Image media = image.image();
            return media == null ? null : media("image", media.url(), media.base64Data(), media.mimeType());
        }
        if (content instanceof AudioContent audio) {
            Audio media = audio.audio();
            return media == null ? null : media("audio", media.url(), media.base64Data(), media.mimeType());
        }
        if (content instanceof VideoContent video) {
            Video media = video.video();
            return media == null ? null : media("video", media.url(), media.base64Data(), media.mimeType());
        }
        if (content instanceof PdfFileContent pdf) {
            PdfFile media = pdf.pdfFile();
            return media == null ? null : media("document", media.url(), media.base64Data(), media.mimeType());
        }
        // a content type of a newer line: its kind is known, its payload is not
        return content == null || content.type() == null ? null : new Part(content.type().name().toLowerCase(Locale.ROOT));
    }

    private static Part media(String modality, URI url, String base64, String mimeType) {
        if (url != null) {
            return Part.uri(modality, mimeType, url.toString());
        }
        return base64 == null ? null : Part.blob(modality, mimeType, Part.base64Size(base64, 0));
    }
}
