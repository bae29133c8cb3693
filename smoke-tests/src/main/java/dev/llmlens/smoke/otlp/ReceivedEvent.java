package dev.llmlens.smoke.otlp;

import java.util.Map;

/**
 * A span event as received over OTLP; attribute values are converted as in {@link ReceivedSpan}.
 */
public record ReceivedEvent(String name, long epochNanos, Map<String, Object> attributes) {}
