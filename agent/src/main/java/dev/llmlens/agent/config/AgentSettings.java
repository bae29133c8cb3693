package dev.llmlens.agent.config;

/** The agent's own keys (README, "Configuration"), read once at start. */
public record AgentSettings(
        boolean enabled,
        boolean debug,
        int prometheusPort,
        String prometheusHost,
        String pricingFile,
        int labelValueLimit,
        Config config) {

    public static AgentSettings from(Config config) {
        return new AgentSettings(
                config.getBoolean("llmlens.enabled", true),
                config.getBoolean("llmlens.debug", false),
                config.getInt("llmlens.prometheus.port", 9464, 0, 65535),
                config.getString("llmlens.prometheus.host", "0.0.0.0"),
                config.getString("llmlens.pricing.file", null),
                config.getInt("llmlens.metrics.label-value-limit", 200, 1, 100_000),
                config);
    }

    public boolean instrumentationEnabled(String module) {
        return config.getBoolean("llmlens.instrumentation." + module + ".enabled", true);
    }
}
