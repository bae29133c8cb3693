package dev.llmlens.agent.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.agent.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolChaosTest {

    private static ToolChaos chaos(Map<String, String> properties) {
        return ToolChaos.from(new Config(properties, Map.of()));
    }

    private static ToolChaos seeded(String failureRate, String latencyRate, String seed) {
        return chaos(Map.of("llmlens.chaos.enabled", "true", "llmlens.chaos.failure-rate", failureRate,
                "llmlens.chaos.latency-ms", "5", "llmlens.chaos.latency-rate", latencyRate, "llmlens.chaos.seed", seed));
    }

    @Test
    void injectsAtTheConfiguredRatesWithinBinomialBounds() {
        int draws = 20_000;
        ToolChaos chaos = seeded("0.25", "0.1", "7");
        int failures = 0;
        int delays = 0;
        for (int i = 0; i < draws; i++) {
            delays += chaos.pickLatency() == 5 ? 1 : 0;
            failures += chaos.pickFailure("search") != null ? 1 : 0;
        }
        // 4 standard deviations: sqrt(n p (1 - p)) = 61 for failures, 42 for delays
        assertTrue(Math.abs(failures - 5_000) <= 4 * 61, "failures " + failures);
        assertTrue(Math.abs(delays - 2_000) <= 4 * 42, "delays " + delays);
    }

    @Test
    void theSameSeedPicksTheSameCalls() {
        assertEquals(picks(seeded("0.3", "0.5", "42")), picks(seeded("0.3", "0.5", "42")));
        assertFalse(picks(seeded("0.3", "0.5", "42")).equals(picks(seeded("0.3", "0.5", "43"))));
    }

    private static List<Boolean> picks(ToolChaos chaos) {
        List<Boolean> picks = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            picks.add(chaos.pickLatency() > 0);
            picks.add(chaos.pickFailure("t") != null);
        }
        return picks;
    }

    @Test
    void rateZeroNeverAndRateOneAlwaysInjects() {
        ToolChaos never = seeded("0", "0", "1");
        ToolChaos always = seeded("1", "1", "1");
        for (int i = 0; i < 1_000; i++) {
            assertNull(never.pickFailure("t"));
            assertEquals(0, never.pickLatency());
            assertNotNull(always.pickFailure("t"));
            assertEquals(5, always.pickLatency());
        }
    }

    @Test
    void toolsAreExactNamesOrGlobs() {
        ToolChaos chaos = chaos(Map.of("llmlens.chaos.enabled", "true", "llmlens.chaos.tools", "search, db_*,*.write"));
        assertTrue(chaos.targets("search"));
        assertTrue(chaos.targets("db_query"));
        assertTrue(chaos.targets("files.write"));
        assertFalse(chaos.targets("research"), "a name is matched whole");
        assertFalse(chaos.targets("db"));
        assertFalse(chaos.targets("filesXwrite"), "a dot is a dot");
        assertTrue(chaos(Map.of("llmlens.chaos.enabled", "true")).targets("anything"), "no list: every tool");
    }

    @Test
    void offUnlessEnabledEvenWithEverythingElseSet() {
        assertNull(chaos(Map.of("llmlens.chaos.failure-rate", "1", "llmlens.chaos.tools", "*")));
        assertNull(chaos(Map.of("llmlens.chaos.enabled", "false", "llmlens.chaos.failure-rate", "1")));
        assertNull(chaos(Map.of()));
    }

    @Test
    void aBadRateFallsBackToItsDefault() {
        ToolChaos chaos = chaos(Map.of("llmlens.chaos.enabled", "true", "llmlens.chaos.failure-rate", "1.5"));
        for (int i = 0; i < 100; i++) {
            assertNull(chaos.pickFailure("t"), "1.5 is not a rate: the default 0 is used");
        }
    }
}
