package dev.llmlens.instrumentation.bedrock.helper;

import java.util.List;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/**
 * Reads model bodies with the JSON parser the SDK itself uses (json-utils, on its own shaded
 * Jackson core), so the helpers need no JSON library of their own and see the SDK's class loader only.
 * Every accessor answers null instead of throwing on a shape it does not expect.
 */
final class Json {

    private static final JsonNodeParser PARSER = JsonNodeParser.create();

    private Json() {}

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        JsonNode node = PARSER.parse(body);
        return node.isObject() ? node : null;
    }

    /** The node at {@code path} (object fields), or null. */
    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String name : path) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.field(name).orElse(null);
        }
        return current == null || current.isNull() ? null : current;
    }

    static Long number(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        if (value == null || !value.isNumber()) {
            return null;
        }
        try {
            return (long) Double.parseDouble(value.asNumber());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Double decimal(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value != null && value.isNumber() ? Double.valueOf(value.asNumber()) : null;
    }

    static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value != null && value.isString() ? value.asString() : null;
    }

    static List<JsonNode> array(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value != null && value.isArray() ? value.asArray() : List.of();
    }

    static boolean has(JsonNode node, String name) {
        return at(node, name) != null;
    }
}
