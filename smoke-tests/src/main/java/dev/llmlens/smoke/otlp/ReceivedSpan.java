package dev.llmlens.smoke.otlp;

import java.util.List;
import java.util.Map;

/**
 * One span as received over OTLP, flattened with its resource and scope. Ids are lowercase hex,
 * {@code parentSpanId} is "" for a root. {@code kind} is e.g. "CLIENT", {@code statusCode} one of
 * "UNSET", "OK", "ERROR". Attribute values: String, Long, Double, Boolean, {@code List<Object>} for
 * arrays, {@code Map<String, Object>} for key-value lists, byte[] for bytes.
 */
public record ReceivedSpan(
        String traceId,
        String spanId,
        String parentSpanId,
        String name,
        String kind,
        long startEpochNanos,
        long endEpochNanos,
        String statusCode,
        String statusMessage,
        Map<String, Object> attributes,
        List<ReceivedEvent> events,
        Map<String, Object> resourceAttributes,
        String scopeName,
        String scopeVersion) {

    public long durationNanos() {
        return endEpochNanos - startEpochNanos;
    }

    /** The attribute's value, or null when absent. */
    public Object attribute(String key) {
        return attributes.get(key);
    }
}
