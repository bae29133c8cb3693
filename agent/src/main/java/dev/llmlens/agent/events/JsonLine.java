package dev.llmlens.agent.events;

import dev.llmlens.bootstrap.JsonText;

/**
 * Writes flat JSON objects field by field into a StringBuilder: the writer thread formats thousands
 * of lines, and a tree model per line would be garbage for nothing. Absent values are left out.
 */
public final class JsonLine {

    private JsonLine() {}

    public static void field(StringBuilder out, String name, String value) {
        if (value != null) {
            string(out, name);
            out.append(':');
            string(out, value);
            out.append(',');
        }
    }

    /** Counts below zero mean "unknown" in the neutral model and are left out, never written as 0. */
    public static void count(StringBuilder out, String name, long value) {
        if (value >= 0) {
            string(out, name);
            out.append(':').append(value).append(',');
        }
    }

    public static void number(StringBuilder out, String name, Double value) {
        if (value != null && Double.isFinite(value)) {
            string(out, name);
            out.append(':').append(value).append(',');
        }
    }

    public static void string(StringBuilder out, String value) {
        JsonText.quote(out, value);
    }

    /** Replaces the trailing comma of the last field by the closing brace. */
    public static void close(StringBuilder out) {
        if (out.length() > 0 && out.charAt(out.length() - 1) == ',') {
            out.setLength(out.length() - 1);
        }
        out.append('}');
    }
}
