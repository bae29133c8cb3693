package dev.llmlens.bootstrap;

/**
 * JSON string escaping (RFC 8259: quotes, backslash, control characters), shared by the agent's line
 * writers and the helpers that turn an SDK's values into JSON text for captured content, which cannot
 * use the agent's (relocated) JSON library.
 */
public final class JsonText {

    private JsonText() {}

    /** Appends {@code value} as a quoted JSON string. */
    public static StringBuilder quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
