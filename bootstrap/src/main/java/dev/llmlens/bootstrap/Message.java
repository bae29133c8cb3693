package dev.llmlens.bootstrap;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One chat message in the shape of the semconv content schemas ({@code gen_ai.input.messages},
 * {@code gen_ai.output.messages}): a role and ordered parts; an output message is one choice and carries
 * its finish reason. Built by a getter only while content capture is on ({@link LlmLens#capturesContent()}).
 */
public final class Message {

    public final String role;
    /** Written by a stream's thread while chunks arrive, read by whichever thread ends the call. */
    public final List<Part> parts = new CopyOnWriteArrayList<>();
    /** Output messages only, in the provider's words; the agent maps it like the span's finish reasons. */
    public volatile String finishReason;

    public Message(String role) {
        this.role = role;
    }

    public static Message text(String role, String text) {
        Message message = new Message(role);
        message.add(Part.text(text));
        return message;
    }

    public Message add(Part part) {
        if (part != null) {
            parts.add(part);
        }
        return this;
    }

    /** A stream's text delta: appended to the last text part, so a streamed answer is one part, as sent whole. */
    public void appendText(String delta) {
        appendTo(Part.TEXT, delta);
    }

    public void appendReasoning(String delta) {
        appendTo(Part.REASONING, delta);
    }

    private synchronized void appendTo(String type, String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        Part last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
        if (last != null && type.equals(last.type)) {
            last.append(delta);
        } else {
            parts.add(new Part(type).append(delta));
        }
    }

    /** The tool-call part with this id or stream index, created on first sight (streams send a call in pieces). */
    public synchronized Part toolCall(String id, int index) {
        for (Part part : parts) {
            if (Part.TOOL_CALL.equals(part.type) && (id != null ? id.equals(part.id) : part.index == index)) {
                return part;
            }
        }
        Part part = new Part(Part.TOOL_CALL);
        part.id = id;
        part.index = index;
        parts.add(part);
        return part;
    }
}
