package dev.llmlens.agent.telemetry;

import java.util.Map;

/**
 * OpenAI-compatible hosts that an OpenAI SDK may be pointed at, and the gen_ai.provider.name each
 * really is, so their calls are priced (or reported unpriced) as that provider, never as OpenAI.
 */
final class ProviderHosts {

    private static final Map<String, String> BY_HOST = Map.ofEntries(
            Map.entry("api.groq.com", "groq"),
            Map.entry("api.deepseek.com", "deepseek"),
            Map.entry("api.mistral.ai", "mistral_ai"),
            Map.entry("api.x.ai", "x_ai"),
            Map.entry("api.perplexity.ai", "perplexity"),
            Map.entry("api.moonshot.ai", "moonshot_ai"),
            Map.entry("api.cohere.ai", "cohere"),
            Map.entry("generativelanguage.googleapis.com", "gcp.gemini"),
            Map.entry("openrouter.ai", "openrouter"),
            Map.entry("api.together.xyz", "together_ai"),
            Map.entry("api.fireworks.ai", "fireworks_ai"));

    private ProviderHosts() {}

    /** The provider behind {@code host} when the SDK only knows it speaks the OpenAI protocol. */
    static String resolve(String sdkProvider, String host) {
        if (!"openai".equals(sdkProvider) || host == null) {
            return sdkProvider;
        }
        return BY_HOST.getOrDefault(host.toLowerCase(java.util.Locale.ROOT), sdkProvider);
    }
}
