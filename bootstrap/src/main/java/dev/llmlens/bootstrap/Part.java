package dev.llmlens.bootstrap;

/**
 * One part of a {@link Message}, a flat record whose {@link #type} says which fields matter (the semconv
 * part types): {@code text} and {@code reasoning} use {@link #content}; {@code tool_call} uses id, name and
 * arguments; {@code tool_call_response} uses id and response; {@code uri}, {@code file} and {@code blob}
 * use mimeType, modality and uri / fileId (inline bytes are never captured, only their size). Any other
 * type is written as a generic part carrying {@link #content}.
 */
public final class Part {

    public static final String TEXT = "text";
    public static final String REASONING = "reasoning";
    public static final String TOOL_CALL = "tool_call";
    public static final String TOOL_CALL_RESPONSE = "tool_call_response";
    public static final String URI = "uri";
    public static final String FILE = "file";
    public static final String BLOB = "blob";

    public final String type;
    private final StringBuilder content = new StringBuilder();
    public String id;
    public String name;
    /** The arguments as the model sent them: JSON text (written as JSON when it parses), or plain text. */
    private final StringBuilder arguments = new StringBuilder();
    /** The tool's result as sent back to the model: JSON text or plain text, like arguments. */
    public String response;
    public String mimeType;
    public String modality;
    public String uri;
    public String fileId;
    public long blobBytes = -1;
    /** A stream's position for tool calls whose id only comes in the first chunk. */
    public int index = -1;

    public Part(String type) {
        this.type = type;
    }

    public static Part text(String text) {
        return new Part(TEXT).append(text);
    }

    public static Part reasoning(String text) {
        return new Part(REASONING).append(text);
    }

    public static Part toolCall(String id, String name, String arguments) {
        Part part = new Part(TOOL_CALL);
        part.id = id;
        part.name = name;
        return part.appendArguments(arguments);
    }

    public static Part toolCallResponse(String id, String response) {
        Part part = new Part(TOOL_CALL_RESPONSE);
        part.id = id;
        part.response = response;
        return part;
    }

    public static Part uri(String modality, String mimeType, String uri) {
        Part part = new Part(URI);
        part.modality = modality;
        part.mimeType = mimeType;
        part.uri = uri;
        return part;
    }

    /** Inline bytes (an image, audio): recorded as a blob of this size; the bytes themselves stay in the app. */
    public static Part blob(String modality, String mimeType, long bytes) {
        Part part = new Part(BLOB);
        part.modality = modality;
        part.mimeType = mimeType;
        part.blobBytes = bytes;
        return part;
    }

    /**
     * The size of the bytes that base64 text (from {@code from} on, e.g. after a data URL's comma)
     * stands for, without decoding or copying it.
     */
    public static long base64Size(String text, int from) {
        int end = text.length();
        int padding = 0;
        while (padding < 2 && end - padding > from && text.charAt(end - padding - 1) == '=') {
            padding++;
        }
        return (long) (end - from) * 3 / 4 - padding;
    }

    public synchronized Part append(String delta) {
        if (delta != null) {
            content.append(delta);
        }
        return this;
    }

    public synchronized Part appendArguments(String delta) {
        if (delta != null) {
            arguments.append(delta);
        }
        return this;
    }

    public synchronized String content() {
        return content.toString();
    }

    /** Null when the model sent none (distinct from an empty object). */
    public synchronized String arguments() {
        return arguments.length() == 0 ? null : arguments.toString();
    }
}
