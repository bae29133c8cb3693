package dev.llmlens.agent.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.AgentLogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's own log lines go through the same redaction as spans: a WARN quoting a secret loses it. */
class AgentLogRedactionTest {

    @Test
    void warningsAreRedacted() {
        try (AgentLogCapture log = AgentLogCapture.start()) {
            AgentLog.warn("exporter rejected header authorization=Bearer Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA");
            List<String> warnings = log.warnings();
            assertEquals(1, warnings.size());
            assertEquals(true, warnings.get(0).endsWith("exporter rejected header authorization=Bearer [REDACTED:bearer_token]"),
                    warnings.get(0));
        }
    }
}
