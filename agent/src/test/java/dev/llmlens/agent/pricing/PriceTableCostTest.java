package dev.llmlens.agent.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.agent.pricing.ModelPrice.Tier;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cost formula, against hand-computed values. Prices are USD per 1M tokens. */
class PriceTableCostTest {
    private static final double EPS = 1e-12;

    // gpt-4o-like: input 2.50, output 10.00, cache read 1.25 (no cache write price: input)
    private static final ModelPrice GPT = price(2.50, 10.00, 1.25, 2.50, List.of());
    // claude-sonnet-4-5-like, with the >200k long-context tier
    private static final ModelPrice SONNET =
            price(3.00, 15.00, 0.30, 3.75, List.of(new Tier(200_000, 6.00, 22.50, 0.60, 7.50)));

    private static ModelPrice price(
            double in, double out, double read, double write, List<Tier> tiers) {
        return new ModelPrice(
                "test", "m", in, out, read, write, tiers, List.of(), List.of(), "test");
    }

    @Test
    void plainCall() {
        // 1,000 × 2.50 + 500 × 10.00 = 2,500 + 5,000 = 7,500 per 1M → $0.0075
        assertEquals(0.0075, GPT.cost(1_000, 0, 0, 500), EPS);
    }

    @Test
    void cacheReadTokensAreInsideInputAndBilledAtTheCacheReadPrice() {
        // input 10,000 of which 8,000 cached: 2,000 × 2.50 + 8,000 × 1.25 + 1,000 × 10.00
        // = 5,000 + 10,000 + 10,000 = 25,000 per 1M → $0.025
        assertEquals(0.025, GPT.cost(10_000, 8_000, 0, 1_000), EPS);
    }

    @Test
    void anthropicCacheWrite() {
        // input 12,000 = 1,000 uncached + 1,000 cache read + 10,000 cache write; output 500:
        // 1,000 × 3 + 1,000 × 0.30 + 10,000 × 3.75 + 500 × 15 = 3,000 + 300 + 37,500 + 7,500 =
        // 48,300 → $0.0483
        assertEquals(0.0483, SONNET.cost(12_000, 1_000, 10_000, 500), EPS);
    }

    @Test
    void sameCallPricedThroughTheBundledTable() {
        ModelPrice p = PriceTable.bundled().find("anthropic", "claude-sonnet-4-5-20250929");
        assertEquals(0.0483, p.cost(12_000, 1_000, 10_000, 500), EPS);
    }

    @Test
    void missingCachePricesFallBackToTheInputPrice() throws IOException {
        ModelPrice p =
                PriceTableTest.parse(
                                """
        { "models": [ { "provider": "p", "model": "m", "input": 4, "output": 16 } ] }""",
                                "t.json")
                        .find("p", "m");
        assertEquals(4, p.cacheRead());
        assertEquals(4, p.cacheWrite());
        // 500 × 4 + 400 × 4 + 100 × 4 + 0 = 4,000 per 1M → $0.004, as if nothing were cached
        assertEquals(0.004, p.cost(1_000, 400, 100, 0), EPS);
    }

    @Test
    void tierAppliesToTheWholeCallOnlyAboveTheThreshold() {
        // exactly 200,000 input: base prices. 200,000 × 3 + 1,000 × 15 = 615,000 → $0.615
        assertEquals(0.615, SONNET.cost(200_000, 0, 0, 1_000), EPS);
        // 200,001 input: tier prices for everything. 200,001 × 6 + 1,000 × 22.50 = 1,200,006 +
        // 22,500 → $1.222506
        assertEquals(1.222506, SONNET.cost(200_001, 0, 0, 1_000), EPS);
        // cache tokens count toward the threshold and use the tier's cache prices:
        // 150,000 × 6 + 100,000 × 0.60 + 50,000 × 7.50 + 2,000 × 22.50 = 900,000 + 60,000 + 375,000
        // + 45,000 → $1.38
        assertEquals(1.38, SONNET.cost(300_000, 100_000, 50_000, 2_000), EPS);
    }

    @Test
    void highestMatchingTierWinsWhateverTheOrderGiven() {
        ModelPrice p =
                price(1, 1, 1, 1, List.of(new Tier(1_000, 3, 3, 3, 3), new Tier(100, 2, 2, 2, 2)));
        assertEquals(50 * 1 / 1e6, p.cost(50, 0, 0, 0), EPS); // ≤ 100: base
        assertEquals(500 * 2 / 1e6, p.cost(500, 0, 0, 0), EPS); // > 100: tier 2
        assertEquals(5_000 * 3 / 1e6, p.cost(5_000, 0, 0, 0), EPS); // > 1,000: tier 3
    }

    @Test
    void negativeCountsAreUnknownAndCountAsZero() {
        assertEquals(0.0, GPT.cost(-1, -1, -1, -1), EPS);
        // input unknown, 1,000 output: 1,000 × 10 = 10,000 → $0.01
        assertEquals(0.01, GPT.cost(-1, 0, 0, 1_000), EPS);
        // cache counts unknown: all 1,000 input uncached: 1,000 × 2.50 → $0.0025
        assertEquals(0.0025, GPT.cost(1_000, -5, -1, -1), EPS);
    }

    @Test
    void cacheTokensBeyondInputNeverMakeTheUncachedPartNegative() {
        // inconsistent report (cache read 200 > input 100): uncached 0, 200 × 1.25 = 250 → $0.00025
        assertEquals(0.00025, GPT.cost(100, 200, 0, 0), EPS);
    }
}
