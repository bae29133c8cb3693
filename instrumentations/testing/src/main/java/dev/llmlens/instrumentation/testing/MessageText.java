package dev.llmlens.instrumentation.testing;

import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Captured messages as one line each, for exact assertions that read well when they fail:
 * {@code role[part, part] finishReason}, each part as its type and the fields that type uses.
 */
public final class MessageText {

    private MessageText() {}

    public static List<String> of(List<Message> messages) {
        return messages.stream().map(MessageText::of).toList();
    }

    public static String of(Message message) {
        return message.role + message.parts.stream().map(MessageText::of).collect(Collectors.joining(", ", "[", "]"))
                + (message.finishReason == null ? "" : " " + message.finishReason);
    }

    public static String of(Part part) {
        return switch (part.type) {
            case Part.TOOL_CALL -> "tool_call(" + part.id + ", " + part.name + ", " + part.arguments() + ")";
            case Part.TOOL_CALL_RESPONSE -> "tool_call_response(" + part.id + ", " + part.response + ")";
            case Part.URI -> "uri(" + part.modality + ", " + part.mimeType + ", " + part.uri + ")";
            case Part.FILE -> "file(" + part.modality + ", " + part.mimeType + ", " + part.fileId + ")";
            case Part.BLOB -> "blob(" + part.modality + ", " + part.mimeType + ", " + part.blobBytes + " bytes)";
            default -> part.type + "(" + part.content() + ")";
        };
    }
}
