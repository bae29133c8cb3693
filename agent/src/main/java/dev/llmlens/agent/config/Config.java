package dev.llmlens.agent.config;

import dev.llmlens.agent.AgentLog;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Configuration as the user gave it: system property {@code llmlens.x.y} wins over environment
 * variable {@code LLMLENS_X_Y}, which wins over the default. A value that does not parse is reported
 * once (key, value, default used) and replaced by the default; it never stops the app.
 */
public final class Config {

    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;

    public Config(Map<String, String> systemProperties, Map<String, String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    public static Config fromSystem() {
        Map<String, String> props = new java.util.HashMap<>();
        System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        return new Config(props, System.getenv());
    }

    /** {@code llmlens.capture-content} → {@code LLMLENS_CAPTURE_CONTENT}. */
    public static String envName(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The raw value, or null when neither the property nor the variable is set (blank counts as unset). */
    public String raw(String key) {
        String value = systemProperties.get(key);
        if (value == null || value.isBlank()) {
            value = environment.get(envName(key));
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String getString(String key, String defaultValue) {
        String value = raw(key);
        return value == null ? defaultValue : value;
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return parse(key, defaultValue, value -> {
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            if (value.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException("expected true or false");
        });
    }

    public int getInt(String key, int defaultValue, int min, int max) {
        return parse(key, defaultValue, value -> {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
            }
            return parsed;
        });
    }

    /** @param defaultValue may be null: an unset key then means "no value" (a budget that is not set) */
    public Double getDouble(String key, Double defaultValue, double min, double max) {
        return parse(key, defaultValue, value -> {
            double parsed = Double.parseDouble(value);
            if (!(parsed >= min && parsed <= max)) {
                throw new IllegalArgumentException("expected a number from " + min + " to " + max);
            }
            return parsed;
        });
    }

    private <T> T parse(String key, T defaultValue, Function<String, T> parser) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            String why = e instanceof NumberFormatException ? "not a number" : e.getMessage();
            AgentLog.warnOnce("config:" + key, "Ignoring " + key + "=" + value + " (" + why + "); using the default "
                    + defaultValue + ". Set it as -D" + key + " or " + envName(key) + ".");
            return defaultValue;
        }
    }
}
