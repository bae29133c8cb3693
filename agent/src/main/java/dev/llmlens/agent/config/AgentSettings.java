package dev.llmlens.agent.config;

import dev.llmlens.agent.budget.CostBudgets;
import dev.llmlens.agent.chaos.ToolChaos;
import java.util.Arrays;
import java.util.List;

/** The agent's own keys (README, "Configuration"), read once at start. */
public record AgentSettings(
        boolean enabled,
        boolean debug,
        int prometheusPort,
        String prometheusHost,
        String pricingFile,
        int labelValueLimit,
        String logEvents,
        int logEventsMaxBytes,
        int logEventsMaxFiles,
        boolean logMdc,
        List<String> baggageKeys,
        String auditFile,
        String auditKey,
        int loopThreshold,
        String redactPatterns,
        CostBudgets budgets,
        ToolChaos chaos,
        boolean captureContent,
        int captureMaxLength,
        Config config) {

    public static final String CAPTURE_CONTENT = "llmlens.capture-content";
    /** The OpenTelemetry Java agent's switch, accepted so one setting serves users of both agents. */
    public static final String OTEL_CAPTURE_CONTENT = "otel.instrumentation.genai.capture-message-content";
    public static final int DEFAULT_CAPTURE_MAX_LENGTH = 16 * 1024;
    /** Room for a truncation marker message; below it a truncated attribute could not say so. */
    public static final int MIN_CAPTURE_MAX_LENGTH = 256;

    public static AgentSettings from(Config config) {
        return new AgentSettings(
                config.getBoolean("llmlens.enabled", true),
                config.getBoolean("llmlens.debug", false),
                config.getInt("llmlens.prometheus.port", 9464, 0, 65535),
                config.getString("llmlens.prometheus.host", "0.0.0.0"),
                config.getString("llmlens.pricing.file", null),
                config.getInt("llmlens.metrics.label-value-limit", 200, 1, 100_000),
                config.getString("llmlens.log.events", "off"),
                config.getInt("llmlens.log.events.max-bytes", 10 * 1024 * 1024, 1024, Integer.MAX_VALUE),
                config.getInt("llmlens.log.events.max-files", 5, 1, 1000),
                config.getBoolean("llmlens.log.mdc", true),
                list(config.getString("llmlens.baggage.keys", "user.id,session.id")),
                config.getString("llmlens.audit.file", null),
                config.getString("llmlens.audit.key", null),
                config.getInt("llmlens.loop.threshold", 5, 2, 1_000_000),
                config.getString("llmlens.redact.patterns", null),
                CostBudgets.from(config),
                ToolChaos.from(config),
                captureContent(config),
                config.getInt("llmlens.capture-content.max-length", DEFAULT_CAPTURE_MAX_LENGTH,
                        MIN_CAPTURE_MAX_LENGTH, Integer.MAX_VALUE),
                config);
    }

    /** Our key wins when both are set, whichever of property or environment each came from. */
    private static boolean captureContent(Config config) {
        if (config.raw(CAPTURE_CONTENT) != null) {
            return config.getBoolean(CAPTURE_CONTENT, false);
        }
        return config.getBoolean(OTEL_CAPTURE_CONTENT, false);
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
    }

    /** Whether something may stop a hooked method before it runs (see RefusalGate). */
    public boolean refuses() {
        return (budgets != null && budgets.blocks()) || chaos != null;
    }

    public boolean instrumentationEnabled(String module) {
        return config.getBoolean("llmlens.instrumentation." + module + ".enabled", true);
    }
}
