package dev.llmlens.smoke.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.otlp.ReceivedEvent;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.util.Map;

/**
 * Checks that hold for an inference span of any provider: cost, absent usage, time to first chunk,
 * and the exception event of a failed call. Provider expectations build on these.
 */
public final class GenAiSpanAssertions {

    private GenAiSpanAssertions() {}

    public static void assertCost(ReceivedSpan span, double expected) {
        Object cost = span.attribute("gen_ai.usage.cost");
        assertNotNull(cost, "gen_ai.usage.cost");
        assertEquals(expected, (Double) cost, expected * 1e-9);
    }

    public static void assertNoUsage(ReceivedSpan span) {
        for (String key : span.attributes().keySet()) {
            assertTrue(!key.startsWith("gen_ai.usage."), "no usage was reported, yet " + key + " is set");
        }
    }

    public static void assertTimeToFirstChunk(ReceivedSpan span) {
        Double ttfc = (Double) span.attribute("gen_ai.response.time_to_first_chunk");
        assertNotNull(ttfc, "gen_ai.response.time_to_first_chunk");
        assertTrue(ttfc > 0 && ttfc * 1e9 <= span.durationNanos(), "0 < ttfc (" + ttfc + " s) <= span duration");
    }

    /** A failed call: status ERROR, the exception's class as error.type, the HTTP status, no usage. */
    public static void assertFailedCall(ReceivedSpan span, String errorType, long httpStatus) {
        assertEquals("ERROR", span.statusCode());
        assertEquals(errorType, span.attribute("error.type"));
        assertEquals(httpStatus, span.attribute("http.response.status_code"));
        assertNoUsage(span);
        assertExceptionEvent(span, errorType);
    }

    public static void assertExceptionEvent(ReceivedSpan span, String type) {
        ReceivedEvent exception = span.events().stream().filter(e -> e.name().equals("exception")).findFirst()
                .orElseThrow(() -> new AssertionError("no exception event"));
        Map<String, Object> attributes = exception.attributes();
        assertEquals(type, attributes.get("exception.type"));
        assertNotNull(attributes.get("exception.message"));
        assertTrue(((String) attributes.get("exception.stacktrace")).contains("\tat "), "stack trace recorded");
    }
}
