package dev.llmlens.agent.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the distinct values one label of one metric may take. Past the cap new values fold into
 * {@code other}, so a model-name typo loop or a proxy that invents ids cannot blow up Prometheus.
 */
final class LabelValueLimit {

    static final String OVERFLOW = "other";

    private final Set<String>[] seen;
    private final int limit;

    @SuppressWarnings("unchecked")
    LabelValueLimit(int labelCount, int limit) {
        this.limit = limit;
        this.seen = new Set[labelCount];
        for (int i = 0; i < labelCount; i++) {
            seen[i] = ConcurrentHashMap.newKeySet();
        }
    }

    /** Applies the cap in place and returns {@code values}; null becomes "". */
    String[] apply(String... values) {
        for (int i = 0; i < values.length; i++) {
            String value = values[i] == null ? "" : values[i];
            Set<String> known = seen[i];
            if (!known.contains(value)) {
                // racing threads may overshoot by a few values; that is fine for a safety cap
                if (known.size() < limit) {
                    known.add(value);
                } else {
                    value = OVERFLOW;
                }
            }
            values[i] = value;
        }
        return values;
    }
}
