package dev.llmlens.agent.chaos;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.config.Config;
import dev.llmlens.bootstrap.InjectedToolFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Fault injection for tool calls ({@code llmlens.chaos.*}): picks which tool executions fail or slow
 * down. Off unless {@code llmlens.chaos.enabled=true}; a seed makes the picks repeatable.
 */
public final class ToolChaos {

    public static final String FAILURE = "failure";
    public static final String LATENCY = "latency";

    private static final String[] KEYS = {"llmlens.chaos.tools", "llmlens.chaos.failure-rate",
            "llmlens.chaos.latency-ms", "llmlens.chaos.latency-rate", "llmlens.chaos.seed"};

    private final List<Pattern> tools;
    private final double failureRate;
    private final long latencyMillis;
    private final double latencyRate;
    private final Random random;

    ToolChaos(List<Pattern> tools, double failureRate, long latencyMillis, double latencyRate, Random random) {
        this.tools = tools;
        this.failureRate = failureRate;
        this.latencyMillis = latencyMillis;
        this.latencyRate = latencyRate;
        this.random = random;
    }

    /** @return the configured fault injection, or null when it is off (one WARN if it was configured but not enabled) */
    public static ToolChaos from(Config config) {
        boolean enabled = config.getBoolean("llmlens.chaos.enabled", false);
        if (!enabled) {
            for (String key : KEYS) {
                if (config.raw(key) != null) {
                    AgentLog.warn("Fault injection is off: " + key + " is set but llmlens.chaos.enabled is not true."
                            + " No fault is injected; set -Dllmlens.chaos.enabled=true to inject.");
                    break;
                }
            }
            return null;
        }
        String toolList = config.getString("llmlens.chaos.tools", "*");
        double failureRate = config.getDouble("llmlens.chaos.failure-rate", 0.0, 0, 1);
        int latencyMillis = config.getInt("llmlens.chaos.latency-ms", 0, 0, 600_000);
        double latencyRate = config.getDouble("llmlens.chaos.latency-rate", 1.0, 0, 1);
        String seed = config.raw("llmlens.chaos.seed");
        Random random;
        try {
            random = seed == null ? new Random() : new Random(Long.parseLong(seed));
        } catch (NumberFormatException e) {
            AgentLog.warn("Ignoring llmlens.chaos.seed=" + seed + " (not a whole number); the picks are not repeatable.");
            random = new Random();
        }
        ToolChaos chaos = new ToolChaos(patterns(toolList), failureRate, latencyMillis, latencyRate, random);
        AgentLog.warn(String.format(Locale.ROOT, "Fault injection is ON (llmlens.chaos.enabled=true): tools %s fail"
                + " at rate %.3f and wait %d ms at rate %.3f.", toolList, failureRate, latencyMillis,
                latencyMillis == 0 ? 0.0 : latencyRate));
        return chaos;
    }

    /** {@code search,db.*,*_write}: exact names, or globs where {@code *} is any run of characters. */
    static List<Pattern> patterns(String commaSeparated) {
        List<Pattern> patterns = new ArrayList<>();
        for (String glob : commaSeparated.split(",")) {
            String trimmed = glob.trim();
            if (!trimmed.isEmpty()) {
                String regex = Arrays.stream(trimmed.split("\\*", -1)).map(Pattern::quote)
                        .collect(Collectors.joining(".*"));
                patterns.add(Pattern.compile(regex));
            }
        }
        return patterns;
    }

    public boolean targets(String toolName) {
        if (toolName == null) {
            return false;
        }
        for (Pattern pattern : tools) {
            if (pattern.matcher(toolName).matches()) {
                return true;
            }
        }
        return false;
    }

    /** @return the milliseconds to hold this execution back, or 0 */
    public long pickLatency() {
        return latencyMillis > 0 && random.nextDouble() < latencyRate ? latencyMillis : 0;
    }

    /** @return the failure to throw instead of running the tool, or null */
    public InjectedToolFailure pickFailure(String toolName) {
        if (failureRate <= 0 || random.nextDouble() >= failureRate) {
            return null;
        }
        return new InjectedToolFailure(String.format(Locale.ROOT, "llm-lens fault injection: tool %s failed on purpose"
                + " before running (llmlens.chaos.failure-rate=%.3f; turn off with llmlens.chaos.enabled=false)",
                toolName, failureRate));
    }

    /** Holds the tool's thread back, as a slow downstream would; an interrupt ends the wait early. */
    public static void delay(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
