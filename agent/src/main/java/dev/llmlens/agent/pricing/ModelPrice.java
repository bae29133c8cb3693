package dev.llmlens.agent.pricing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The price of one model at one provider, in USD per 1M tokens. Missing cache prices have already
 * been resolved to the input price by the parser, so every field here is the price actually
 * charged.
 *
 * @param tiers long-context prices, sorted by {@link Tier#aboveInputTokens()} ascending
 * @param aliases full-match regexes of other ids priced by this entry
 * @param examples ids that must resolve to this entry (checked when the table is parsed)
 * @param source where the price was read (a URL for the bundled table, the file name for overrides)
 */
public record ModelPrice(
        String provider,
        String model,
        double input,
        double output,
        double cacheRead,
        double cacheWrite,
        List<Tier> tiers,
        List<String> aliases,
        List<String> examples,
        String source) {

    /**
     * Prices that replace the base prices for the whole call once its input exceeds {@code
     * aboveInputTokens}.
     */
    public record Tier(
            long aboveInputTokens,
            double input,
            double output,
            double cacheRead,
            double cacheWrite) {
        public Tier {
            if (aboveInputTokens < 0)
                throw new IllegalArgumentException("aboveInputTokens < 0: " + aboveInputTokens);
            checkPrices(input, output, cacheRead, cacheWrite);
        }
    }

    private static final double PER_TOKEN = 1_000_000d;
    private static final Comparator<Tier> BY_THRESHOLD =
            Comparator.comparingLong(Tier::aboveInputTokens);

    public ModelPrice {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        checkPrices(input, output, cacheRead, cacheWrite);
        tiers = sorted(tiers);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /**
     * USD for one call. {@code inputTokens} includes the cache read and cache write tokens
     * (semconv), output includes reasoning; a negative count means "not reported" and counts as 0.
     */
    public double cost(
            long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens) {
        long in = Math.max(0, inputTokens),
                read = Math.max(0, cacheReadTokens),
                write = Math.max(0, cacheWriteTokens);
        long out = Math.max(0, outputTokens);
        double pIn = input, pOut = output, pRead = cacheRead, pWrite = cacheWrite;
        // index loop: no iterator on the per-call path; tiers are sorted, so the last match is the
        // highest
        for (int i = 0; i < tiers.size(); i++) {
            Tier t = tiers.get(i);
            if (in <= t.aboveInputTokens()) break;
            pIn = t.input();
            pOut = t.output();
            pRead = t.cacheRead();
            pWrite = t.cacheWrite();
        }
        // clamp: a provider that reports cache tokens outside input must not yield a negative
        // uncached part
        long uncached = Math.max(0, in - read - write);
        return (uncached * pIn + read * pRead + write * pWrite + out * pOut) / PER_TOKEN;
    }

    private static List<Tier> sorted(List<Tier> tiers) {
        if (tiers == null || tiers.isEmpty()) return List.of();
        List<Tier> copy = new ArrayList<>(tiers);
        copy.sort(BY_THRESHOLD);
        return List.copyOf(copy);
    }

    private static void checkPrices(double... prices) {
        for (double p : prices) {
            if (!(p >= 0) || Double.isInfinite(p))
                throw new IllegalArgumentException("price must be finite and >= 0: " + p);
        }
    }
}
