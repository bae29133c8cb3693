package dev.llmlens.agent.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmlens.agent.events.JsonLine;
import dev.llmlens.agent.redact.Redactor;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The captured content attributes as JSON text in the shape of the semconv schemas
 * ({@code gen-ai-input-messages.json}, {@code -output-messages}, {@code -system-instructions},
 * {@code -tool-definitions}, {@code -tool-call-arguments}/{@code -result}). Every text leaf is redacted
 * before it is written; the result never exceeds the configured length and stays valid JSON: the longest
 * texts are cut first (each cut says {@code …[truncated N chars]}), then trailing messages are dropped and
 * a marker part says how many.
 *
 * <p>Inline bytes (images, audio) never reach the agent: a blob part is written with an empty
 * {@code content} and {@code omitted_bytes} giving the size the app sent.
 */
public final class ContentJson {

    private static final JsonFactory JSON = new JsonFactory();

    private final int maxLength;

    public ContentJson(int maxLength) {
        this.maxLength = maxLength;
    }

    public int maxLength() {
        return maxLength;
    }

    /** @return null when there is nothing to write */
    public String inputMessages(List<Message> messages) {
        if (messages == null || messages.isEmpty()) {
            return null;
        }
        Redactor redactor = Redactor.active();
        Arr root = new Arr();
        for (Message message : messages) {
            root.items.add(message(message, null, redactor));
        }
        return fit(root, ContentJson::moreMessages);
    }

    /**
     * @param fallbackFinishReason what a choice without its own finish reason ended with (the call's first
     *                             reason, mapped; "error" for a failed call)
     */
    public String outputMessages(List<Message> messages, String fallbackFinishReason) {
        if (messages == null || messages.isEmpty()) {
            return null;
        }
        Redactor redactor = Redactor.active();
        Arr root = new Arr();
        for (Message message : messages) {
            String reason = message.finishReason == null ? fallbackFinishReason : finishReason(message.finishReason);
            root.items.add(message(message, reason, redactor));
        }
        return fit(root, ContentJson::moreMessages);
    }

    public String systemInstructions(List<String> instructions) {
        if (instructions == null || instructions.isEmpty()) {
            return null;
        }
        Redactor redactor = Redactor.active();
        Arr root = new Arr();
        for (String instruction : instructions) {
            root.items.add(new Obj().put("type", Part.TEXT).put("content", text(instruction, redactor)));
        }
        return fit(root, (all, keep) -> append(all, keep,
                new Obj().put("type", Part.TEXT).put("content", marker(all.size() - keep, "instructions"))));
    }

    public String toolDefinitions(List<ToolDefinition> tools) {
        if (tools == null || tools.isEmpty()) {
            return null;
        }
        Redactor redactor = Redactor.active();
        Arr root = new Arr();
        for (ToolDefinition tool : tools) {
            Obj definition = new Obj()
                    .put("type", tool.type == null ? "function" : tool.type)
                    .put("name", tool.name == null ? "" : tool.name);
            if (tool.description != null) {
                definition.put("description", text(tool.description, redactor));
            }
            if (tool.parameters != null) {
                definition.put("parameters", jsonOrText(tool.parameters, redactor));
            }
            root.items.add(definition);
        }
        // a generic tool definition (any type, a name) is schema-valid and cannot be mistaken for a real tool
        return fit(root, (all, keep) -> append(all, keep,
                new Obj().put("type", "truncated").put("name", marker(all.size() - keep, "tools"))));
    }

    /** A tool call's arguments or result: embedded as JSON when the text is JSON, else as a JSON string. */
    public String toolPayload(String text) {
        if (text == null) {
            return null;
        }
        return fit(jsonOrText(text, Redactor.active()), ContentJson::moreFields);
    }

    /**
     * The semconv finish reason for a provider's word: OpenAI, Anthropic, Gemini, Bedrock and Cohere
     * spell the same few outcomes differently; anything else is kept, lower-cased.
     */
    public static String finishReason(String raw) {
        if (raw == null) {
            return null;
        }
        String reason = raw.toLowerCase(Locale.ROOT);
        return switch (reason) {
            case "stop", "end_turn", "stop_sequence", "complete", "completed", "end" -> "stop";
            case "length", "max_tokens", "max_output_tokens" -> "length";
            case "tool_calls", "tool_use", "function_call" -> "tool_call";
            case "content_filter", "content_filtered", "safety", "guardrail_intervened", "recitation", "refusal",
                 "blocklist", "prohibited_content", "spii", "image_safety" -> "content_filter";
            default -> reason;
        };
    }

    // --- the neutral model as a tree

    private static Obj message(Message message, String finishReason, Redactor redactor) {
        Arr parts = new Arr();
        for (Part part : message.parts) {
            parts.items.add(part(part, redactor));
        }
        Obj json = new Obj().put("role", message.role == null ? "user" : message.role).put("parts", parts);
        if (finishReason != null) {
            json.put("finish_reason", finishReason);
        }
        return json;
    }

    private static Obj part(Part part, Redactor redactor) {
        Obj json = new Obj().put("type", part.type);
        switch (part.type) {
            case Part.TOOL_CALL -> {
                putIfPresent(json, "id", part.id);
                json.put("name", part.name == null ? "" : part.name);
                String arguments = part.arguments();
                if (arguments != null) {
                    json.put("arguments", jsonOrText(arguments, redactor));
                }
            }
            case Part.TOOL_CALL_RESPONSE -> {
                putIfPresent(json, "id", part.id);
                json.put("response", part.response == null ? Literal.NULL : jsonOrText(part.response, redactor));
            }
            case Part.URI -> {
                media(json, part);
                json.put("uri", text(part.uri == null ? "" : part.uri, redactor));
            }
            case Part.FILE -> {
                media(json, part);
                json.put("file_id", part.fileId == null ? "" : part.fileId);
            }
            case Part.BLOB -> {
                media(json, part);
                json.put("content", "");
                if (part.blobBytes >= 0) {
                    json.put("omitted_bytes", new Literal(Long.toString(part.blobBytes)));
                }
            }
            default -> json.put("content", text(part.content(), redactor));
        }
        return json;
    }

    /** Modality is required by the media parts; left out when unknown, the part is still a valid generic part. */
    private static void media(Obj json, Part part) {
        putIfPresent(json, "mime_type", part.mimeType);
        String modality = part.modality != null ? part.modality : modalityOf(part.mimeType);
        putIfPresent(json, "modality", modality);
    }

    private static String modalityOf(String mimeType) {
        if (mimeType == null) {
            return null;
        }
        for (String modality : new String[] {"image", "video", "audio"}) {
            if (mimeType.startsWith(modality + "/")) {
                return modality;
            }
        }
        return null;
    }

    private static void putIfPresent(Obj json, String name, String value) {
        if (value != null) {
            json.put(name, value);
        }
    }

    private static Str text(String value, Redactor redactor) {
        return new Str(redactor.redact(value == null ? "" : value), true);
    }

    /** Redacted as text first (a secret split across JSON tokens is still found), then parsed again. */
    private static Node jsonOrText(String text, Redactor redactor) {
        String redacted = redactor.redact(text);
        Node parsed = parse(redacted);
        return parsed != null ? parsed : new Str(redacted, true);
    }

    /** @return the tree, or null when the text is not exactly one JSON value */
    static Node parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || "{[\"-0123456789tfn".indexOf(trimmed.charAt(0)) < 0) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(trimmed)) {
            JsonToken first = parser.nextToken();
            Node root = read(parser, first);
            return parser.nextToken() == null ? root : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Node read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                Obj obj = new Obj();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    obj.put(name, read(parser, parser.nextToken()));
                }
                return obj;
            }
            case START_ARRAY -> {
                Arr arr = new Arr();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    arr.items.add(read(parser, t));
                }
                return arr;
            }
            case VALUE_STRING -> {
                return new Str(parser.getText(), true);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
                return new Literal(parser.getText());
            }
            default -> throw new IOException("unexpected " + token);
        }
    }

    // --- fitting into maxLength

    /**
     * The JSON as is when it fits. Otherwise the texts are cut to the longest common length that fits;
     * when even empty texts are too long, trailing elements go first and {@code marker} (all elements, how
     * many to keep) adds what says so.
     */
    private String fit(Node root, BiFunction<List<Node>, Integer, List<Node>> marker) {
        String whole = write(root, Integer.MAX_VALUE);
        if (whole.length() <= maxLength) {
            return whole;
        }
        String cut = cutTexts(root);
        if (cut != null) {
            return cut;
        }
        List<Node> elements = root instanceof Arr arr ? arr.items : root instanceof Obj obj ? obj.values() : null;
        if (elements == null) {
            return null;
        }
        // the fewest dropped elements that still fit with every text cut to nothing
        int low = 0;
        int high = elements.size() - 1;
        int keep = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (write(shortened(root, mid, marker), 0).length() <= maxLength) {
                keep = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return keep < 0 ? null : cutTexts(shortened(root, keep, marker));
    }

    private static Node shortened(Node root, int keep, BiFunction<List<Node>, Integer, List<Node>> marker) {
        if (root instanceof Arr arr) {
            Arr copy = new Arr();
            copy.items.addAll(marker.apply(arr.items, keep));
            return copy;
        }
        Obj obj = (Obj) root;
        Obj copy = new Obj();
        for (int i = 0; i < keep; i++) {
            copy.put(obj.names.get(i), obj.values.get(i));
        }
        return copy.put("_truncated", marker(obj.names.size() - keep, "fields"));
    }

    /** @return the JSON with every text cut to the largest length that fits, or null when none does */
    private String cutTexts(Node root) {
        int longest = longestText(root);
        int low = 0;
        int high = longest;
        String best = null;
        while (low <= high) {
            int cap = (low + high) >>> 1;
            String json = write(root, cap);
            if (json.length() <= maxLength) {
                best = json;
                low = cap + 1;
            } else {
                high = cap - 1;
            }
        }
        return best;
    }

    private static int longestText(Node node) {
        if (node instanceof Str str) {
            return str.cuttable ? str.value.length() : 0;
        }
        int longest = 0;
        for (Node child : node instanceof Arr arr ? arr.items : node instanceof Obj obj ? obj.values : List.<Node>of()) {
            longest = Math.max(longest, longestText(child));
        }
        return longest;
    }

    /**
     * The marker goes into the last kept message as one more text part; when no message fits, a message with
     * the first one's role (and finish reason) carries only the marker.
     */
    private static List<Node> moreMessages(List<Node> all, int keep) {
        Obj markerPart = new Obj().put("type", Part.TEXT).put("content", marker(all.size() - keep, "messages"));
        List<Node> kept = new ArrayList<>(all.subList(0, keep));
        Obj last;
        Arr parts = new Arr();
        if (kept.isEmpty()) {
            Obj first = (Obj) all.get(0);
            last = new Obj().put("role", first.get("role")).put("parts", parts);
            if (first.get("finish_reason") != null) {
                last.put("finish_reason", first.get("finish_reason"));
            }
            kept.add(last);
        } else {
            last = ((Obj) kept.get(keep - 1)).copy();
            parts.items.addAll(((Arr) last.get("parts")).items);
            last.set("parts", parts);
            kept.set(keep - 1, last);
        }
        parts.items.add(markerPart);
        return kept;
    }

    private static List<Node> moreFields(List<Node> all, int keep) {
        return append(all, keep, new Str(marker(all.size() - keep, "elements"), false));
    }

    private static List<Node> append(List<Node> all, int keep, Node marker) {
        List<Node> kept = new ArrayList<>(all.subList(0, keep));
        kept.add(marker);
        return kept;
    }

    private static String marker(int dropped, String what) {
        return "…[truncated " + dropped + " more " + what + "]";
    }

    static String write(Node root, int cap) {
        StringBuilder out = new StringBuilder();
        root.writeTo(out, cap);
        return out.toString();
    }

    // --- a minimal JSON tree: enough to cut texts and drop elements, and to write what came in unchanged

    interface Node {
        void writeTo(StringBuilder out, int cap);
    }

    private static final class Obj implements Node {
        final List<String> names = new ArrayList<>();
        final List<Node> values = new ArrayList<>();

        Obj put(String name, String value) {
            return put(name, new Str(value, false));
        }

        Obj put(String name, Node value) {
            names.add(name);
            values.add(value);
            return this;
        }

        Node get(String name) {
            int i = names.indexOf(name);
            return i < 0 ? null : values.get(i);
        }

        void set(String name, Node value) {
            values.set(names.indexOf(name), value);
        }

        List<Node> values() {
            return values;
        }

        Obj copy() {
            Obj copy = new Obj();
            copy.names.addAll(names);
            copy.values.addAll(values);
            return copy;
        }

        @Override
        public void writeTo(StringBuilder out, int cap) {
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                JsonLine.string(out, names.get(i));
                out.append(':');
                values.get(i).writeTo(out, cap);
            }
            out.append('}');
        }
    }

    private static final class Arr implements Node {
        final List<Node> items = new ArrayList<>();

        @Override
        public void writeTo(StringBuilder out, int cap) {
            out.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                items.get(i).writeTo(out, cap);
            }
            out.append(']');
        }
    }

    /** A text; {@code cuttable} for content (prompts, answers, arguments), not for roles, types, ids, names. */
    private record Str(String value, boolean cuttable) implements Node {
        @Override
        public void writeTo(StringBuilder out, int cap) {
            int keep = cap;
            if (keep > 0 && keep < value.length() && Character.isHighSurrogate(value.charAt(keep - 1))) {
                keep--; // never half a character
            }
            String cut = cuttable && keep < value.length()
                    ? value.substring(0, keep) + "…[truncated " + (value.length() - keep) + " chars]" : value;
            // a short text is not cut: the marker would be longer than what it replaces
            JsonLine.string(out, cut.length() < value.length() ? cut : value);
        }
    }

    private record Literal(String json) implements Node {
        static final Literal NULL = new Literal("null");

        @Override
        public void writeTo(StringBuilder out, int cap) {
            out.append(json);
        }
    }
}
