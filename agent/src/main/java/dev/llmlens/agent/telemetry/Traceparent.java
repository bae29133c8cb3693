package dev.llmlens.agent.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/**
 * The W3C trace context header ({@code 00-<trace id>-<span id>-<flags>}), for libraries that carry it in
 * their own messages rather than in HTTP headers (MCP's {@code _meta}).
 */
final class Traceparent {

    private Traceparent() {}

    static String format(SpanContext context) {
        if (context == null || !context.isValid()) {
            return null;
        }
        // version 00 defines the sampled flag only; the SDK's other (random trace id) bit is left out
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + (context.isSampled() ? "-01" : "-00");
    }

    /** @return the remote parent it names, or null when absent or malformed (it came over the wire) */
    static SpanContext parse(String header) {
        if (header == null || header.length() < 55) {
            return null;
        }
        String[] parts = header.trim().split("-");
        if (parts.length < 4 || parts[0].length() != 2 || parts[0].equals("ff") || parts[3].length() != 2
                || !isHex(parts[0]) || !isHex(parts[3])) {
            return null;
        }
        if (parts[0].equals("00") && parts.length != 4) {
            return null;
        }
        SpanContext context = SpanContext.createFromRemoteParent(parts[1], parts[2],
                TraceFlags.fromByte((byte) Integer.parseInt(parts[3], 16)), TraceState.getDefault());
        return context.isValid() ? context : null;
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
