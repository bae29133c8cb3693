package dev.llmlens.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.agent.AgentLogCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Precedence, env naming and parsing of the fixed configuration contract. AgentLog.warnOnce dedups
 * per key for the whole JVM, so every test that expects a WARN uses a key of its own.
 */
class ConfigTest {

    private static Config config(Map<String, String> props, Map<String, String> env) {
        return new Config(props, env);
    }

    @Test
    void envNameTurnsDotsAndDashesIntoUnderscoresUpperCase() {
        assertEquals("LLMLENS_CAPTURE_CONTENT", Config.envName("llmlens.capture-content"));
        assertEquals("LLMLENS_INSTRUMENTATION_OPENAI_JAVA_ENABLED",
                Config.envName("llmlens.instrumentation.openai-java.enabled"));
        assertEquals("OTEL_SERVICE_NAME", Config.envName("otel.service.name"));
    }

    @Test
    void systemPropertyWinsOverEnvWhichWinsOverDefault() {
        String key = "llmlens.log.events";
        assertEquals("prop", config(Map.of(key, "prop"), Map.of("LLMLENS_LOG_EVENTS", "env")).getString(key, "def"));
        assertEquals("env", config(Map.of(), Map.of("LLMLENS_LOG_EVENTS", "env")).getString(key, "def"));
        assertEquals("def", config(Map.of(), Map.of()).getString(key, "def"));
        // the env variable is looked up by its env form only, never by the dotted key
        assertEquals("def", config(Map.of(), Map.of(key, "env")).getString(key, "def"));
    }

    @Test
    void blankCountsAsUnsetAndValuesAreTrimmed() {
        String key = "llmlens.pricing.file";
        // a blank property must not hide the env variable (e.g. -Dllmlens.pricing.file= from a script)
        assertEquals("/env.json", config(Map.of(key, "  "), Map.of("LLMLENS_PRICING_FILE", "/env.json")).getString(key, null));
        assertNull(config(Map.of(key, ""), Map.of("LLMLENS_PRICING_FILE", " \t")).raw(key));
        assertEquals("/p.json", config(Map.of(key, " /p.json \n"), Map.of()).raw(key));
    }

    @Test
    void booleansAcceptTrueAndFalseInAnyCase() {
        String key = "llmlens.test.bool-ok";
        try (AgentLogCapture log = AgentLogCapture.start()) {
            assertTrue(config(Map.of(key, "TRUE"), Map.of()).getBoolean(key, false));
            assertTrue(config(Map.of(key, " True "), Map.of()).getBoolean(key, false));
            assertFalse(config(Map.of(), Map.of(Config.envName(key), "fAlSe")).getBoolean(key, true));
            assertEquals(List.of(), log.warnings());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", "no", "truee"})
    void anythingElseIsTheDefaultWithOneWarning(String value) {
        String key = "llmlens.test.bool-bad-" + value;
        try (AgentLogCapture log = AgentLogCapture.start()) {
            Config config = config(Map.of(key, value), Map.of());
            assertTrue(config.getBoolean(key, true));
            assertFalse(config.getBoolean(key, false));
            List<String> warnings = log.warnings();
            assertEquals(1, warnings.size(), () -> "one WARN per bad key, got " + log.lines());
            assertWarnsAbout(warnings.get(0), key, value, "true");
        }
    }

    @Test
    void intsInRangeAreParsedIncludingTheBounds() {
        String key = "llmlens.test.int-ok";
        try (AgentLogCapture log = AgentLogCapture.start()) {
            assertEquals(0, config(Map.of(key, "0"), Map.of()).getInt(key, 9464, 0, 65535));
            assertEquals(65535, config(Map.of(key, "65535"), Map.of()).getInt(key, 9464, 0, 65535));
            assertEquals(8080, config(Map.of(), Map.of("LLMLENS_TEST_INT_OK", " 8080 ")).getInt(key, 9464, 0, 65535));
            assertEquals(List.of(), log.warnings());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "abc", "9464.0", "99999999999"})
    void intsOutOfRangeOrNotNumbersAreTheDefaultWithOneWarning(String value) {
        String key = "llmlens.test.int-bad" + value.replace('.', '_');
        try (AgentLogCapture log = AgentLogCapture.start()) {
            Config config = config(Map.of(), Map.of(Config.envName(key), value));
            assertEquals(9464, config.getInt(key, 9464, 0, 65535));
            assertEquals(9464, config.getInt(key, 9464, 0, 65535)); // read again: still one line
            List<String> warnings = log.warnings();
            assertEquals(1, warnings.size(), () -> "one WARN per bad key, got " + log.lines());
            assertWarnsAbout(warnings.get(0), key, value, "9464");
        }
    }

    /** The line must let a user fix the setting without reading code: key, value, default, env form. */
    static void assertWarnsAbout(String line, String key, String value, String defaultValue) {
        assertTrue(line.contains(key + "=" + value), line);
        assertTrue(line.contains("default " + defaultValue), line);
        assertTrue(line.contains(Config.envName(key)), line);
    }
}
