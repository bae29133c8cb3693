package dev.llmlens.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.agent.AgentLogCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's own keys with the defaults the README documents. */
class AgentSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        AgentSettings s = AgentSettings.from(new Config(Map.of(), Map.of()));
        assertTrue(s.enabled());
        assertFalse(s.debug());
        assertEquals(9464, s.prometheusPort());
        assertEquals("0.0.0.0", s.prometheusHost());
        assertNull(s.pricingFile());
        assertEquals(200, s.labelValueLimit());
        assertTrue(s.instrumentationEnabled("openai-java"));
        assertEquals("off", s.logEvents());
        assertEquals(10 * 1024 * 1024, s.logEventsMaxBytes());
        assertEquals(5, s.logEventsMaxFiles());
        assertTrue(s.logMdc());
        assertEquals(List.of("user.id", "session.id"), s.baggageKeys());
        assertEquals(5, s.loopThreshold());
    }

    @Test
    void logAndBaggageKeysReadTheirEnvForms() {
        AgentSettings s = AgentSettings.from(new Config(Map.of(), Map.of(
                "LLMLENS_LOG_EVENTS", "/var/log/app/llm-events.jsonl", "LLMLENS_LOG_EVENTS_MAX_BYTES", "2048",
                "LLMLENS_LOG_EVENTS_MAX_FILES", "2", "LLMLENS_LOG_MDC", "false",
                "LLMLENS_BAGGAGE_KEYS", " user.id , tenant.id ,")));
        assertEquals("/var/log/app/llm-events.jsonl", s.logEvents());
        assertEquals(2048, s.logEventsMaxBytes());
        assertEquals(2, s.logEventsMaxFiles());
        assertFalse(s.logMdc());
        assertEquals(List.of("user.id", "tenant.id"), s.baggageKeys());
    }

    @Test
    void readsEnvFormsAndPropertiesWin() {
        AgentSettings s = AgentSettings.from(new Config(
                Map.of("llmlens.prometheus.port", "9999"),
                Map.of("LLMLENS_ENABLED", "false", "LLMLENS_DEBUG", "TRUE", "LLMLENS_PROMETHEUS_PORT", "0",
                        "LLMLENS_PROMETHEUS_HOST", "127.0.0.1", "LLMLENS_PRICING_FILE", "/etc/prices.json",
                        "LLMLENS_METRICS_LABEL_VALUE_LIMIT", "50")));
        assertFalse(s.enabled());
        assertTrue(s.debug());
        assertEquals(9999, s.prometheusPort());
        assertEquals("127.0.0.1", s.prometheusHost());
        assertEquals("/etc/prices.json", s.pricingFile());
        assertEquals(50, s.labelValueLimit());
    }

    @Test
    void instrumentationSwitchUsesTheModuleFolderName() {
        Config props = new Config(Map.of("llmlens.instrumentation.openai-java.enabled", "false"), Map.of());
        assertFalse(AgentSettings.from(props).instrumentationEnabled("openai-java"));
        assertTrue(AgentSettings.from(props).instrumentationEnabled("anthropic-java"));
        Config env = new Config(Map.of(), Map.of("LLMLENS_INSTRUMENTATION_OPENAI_JAVA_ENABLED", "False"));
        assertFalse(AgentSettings.from(env).instrumentationEnabled("openai-java"));
    }

    @Test
    void badPortFallsBackToTheDefaultWithOneWarning() {
        // the only test in this JVM that makes llmlens.prometheus.port warn (warnOnce is per key)
        try (AgentLogCapture log = AgentLogCapture.start()) {
            AgentSettings s = AgentSettings.from(new Config(Map.of(), Map.of("LLMLENS_PROMETHEUS_PORT", "70000")));
            assertEquals(9464, s.prometheusPort());
            List<String> warnings = log.warnings();
            assertEquals(1, warnings.size(), () -> String.valueOf(log.lines()));
            ConfigTest.assertWarnsAbout(warnings.get(0), "llmlens.prometheus.port", "70000", "9464");
        }
    }

    @Test
    void contentCaptureIsOffByDefaultAndReadsBothSwitches() {
        AgentSettings none = AgentSettings.from(new Config(Map.of(), Map.of()));
        assertFalse(none.captureContent());
        assertEquals(16384, none.captureMaxLength());
        assertTrue(AgentSettings.from(new Config(Map.of(), Map.of("LLMLENS_CAPTURE_CONTENT", "true"))).captureContent());
        assertTrue(AgentSettings.from(new Config(
                Map.of("otel.instrumentation.genai.capture-message-content", "true"), Map.of())).captureContent());
        assertTrue(AgentSettings.from(new Config(
                Map.of(), Map.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true"))).captureContent());
        assertEquals(4096, AgentSettings.from(new Config(
                Map.of(), Map.of("LLMLENS_CAPTURE_CONTENT_MAX_LENGTH", "4096"))).captureMaxLength());
    }

    @Test
    void ourCaptureKeyWinsOverOpenTelemetrysWhereverEachIsSet() {
        assertFalse(AgentSettings.from(new Config(Map.of("otel.instrumentation.genai.capture-message-content", "true"),
                Map.of("LLMLENS_CAPTURE_CONTENT", "false"))).captureContent());
        assertTrue(AgentSettings.from(new Config(Map.of("llmlens.capture-content", "true"),
                Map.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "false"))).captureContent());
    }

    @Test
    void badCaptureMaxLengthFallsBackToTheDefaultWithOneWarning() {
        // the only test in this JVM that makes llmlens.capture-content.max-length warn (warnOnce is per key)
        try (AgentLogCapture log = AgentLogCapture.start()) {
            AgentSettings s = AgentSettings.from(new Config(Map.of("llmlens.capture-content.max-length", "10"), Map.of()));
            assertEquals(16384, s.captureMaxLength());
            List<String> warnings = log.warnings();
            assertEquals(1, warnings.size(), () -> String.valueOf(log.lines()));
            ConfigTest.assertWarnsAbout(warnings.get(0), "llmlens.capture-content.max-length", "10", "16384");
        }
    }
}
