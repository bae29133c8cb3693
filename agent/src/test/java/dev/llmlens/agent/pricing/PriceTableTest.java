package dev.llmlens.agent.pricing;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PriceTableTest {
    private static final Set<String> SEMCONV_PROVIDERS =
            Set.of(
                    "openai",
                    "azure.ai.openai",
                    "anthropic",
                    "gcp.gemini",
                    "gcp.vertex_ai",
                    "aws.bedrock",
                    "deepseek",
                    "groq",
                    "mistral_ai",
                    "x_ai");

    private final PriceTable bundled = PriceTable.bundled();

    static PriceTable parse(String json, String sourceName) throws IOException {
        return PriceTable.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), sourceName);
    }

    @Test
    void bundledTableLoadsWithAnIsoDateAndSources() {
        assertEquals(bundled.date(), LocalDate.parse(bundled.date()).toString());
        assertTrue(bundled.size() > 50, "entries: " + bundled.size());
        assertEquals(bundled.size(), bundled.entries().size());
        assertAll(
                bundled.entries().stream()
                        .map(
                                p ->
                                        () -> {
                                            assertTrue(
                                                    p.source().startsWith("https://"),
                                                    p + " has no source URL");
                                            assertTrue(
                                                    SEMCONV_PROVIDERS.contains(p.provider()),
                                                    p.provider()
                                                            + " is not a gen_ai.provider.name value");
                                        }));
    }

    @Test
    void everyExampleMatchesAnAliasOfItsEntryAndResolvesToThatEntry() {
        List<Executable> checks = new ArrayList<>();
        for (ModelPrice p : bundled.entries()) {
            List<Pattern> patterns = p.aliases().stream().map(Pattern::compile).toList();
            for (String example : p.examples()) {
                checks.add(
                        () -> {
                            assertTrue(
                                    patterns.stream().anyMatch(r -> r.matcher(example).matches()),
                                    example + " matches no alias of " + p.model());
                            // identity: an alias of an earlier entry must not shadow this one
                            assertSame(
                                    p,
                                    bundled.find(p.provider(), example),
                                    p.provider() + " / " + example);
                        });
            }
            checks.add(() -> assertSame(p, bundled.find(p.provider(), p.model())));
        }
        assertAll(checks);
    }

    @Test
    void noBundledPriceIsZeroExceptEmbeddingOutput() throws IOException {
        Set<String> embeddings = new HashSet<>();
        try (InputStream in = PriceTable.class.getResourceAsStream("prices.json")) {
            List<?> models = (List<?>) JSON.std.mapFrom(in).get("models");
            for (Object o : models) {
                Map<?, ?> m = (Map<?, ?>) o;
                assertFalse(
                        m.containsKey("free"), "bundled prices are never free: " + m.get("model"));
                if (Boolean.TRUE.equals(m.get("embedding")))
                    embeddings.add((String) m.get("model"));
            }
        }
        assertFalse(embeddings.isEmpty());
        assertAll(
                bundled.entries().stream()
                        .map(
                                p ->
                                        () -> {
                                            assertTrue(
                                                    p.input() > 0
                                                            && p.cacheRead() > 0
                                                            && p.cacheWrite() > 0,
                                                    p.toString());
                                            assertTrue(
                                                    p.output() > 0
                                                            || embeddings.contains(p.model()),
                                                    "output 0 without \"embedding\": " + p);
                                            p.tiers()
                                                    .forEach(
                                                            t ->
                                                                    assertTrue(
                                                                            t.input() > 0
                                                                                    && t.output()
                                                                                            > 0
                                                                                    && t.cacheRead()
                                                                                            > 0
                                                                                    && t
                                                                                                    .cacheWrite()
                                                                                            > 0));
                                        }));
    }

    @Test
    void bundledTableCoversTheCurrentModels() {
        String[][] required = {
            {"openai", "gpt-5.1"},
            {"openai", "gpt-5"},
            {"openai", "gpt-5-mini"},
            {"openai", "gpt-5-nano"},
            {"openai", "gpt-4.1"},
            {"openai", "gpt-4.1-mini"},
            {"openai", "gpt-4.1-nano"},
            {"openai", "gpt-4o"},
            {"openai", "gpt-4o-mini"},
            {"openai", "o3"},
            {"openai", "o3-mini"},
            {"openai", "o4-mini"},
            {"openai", "o1"},
            {"openai", "text-embedding-3-small"},
            {"openai", "text-embedding-3-large"},
            {"openai", "text-embedding-ada-002"},
            {"azure.ai.openai", "gpt-4o"},
            {"azure.ai.openai", "gpt-5"},
            {"anthropic", "claude-opus-4-5"},
            {"anthropic", "claude-opus-4-1"},
            {"anthropic", "claude-opus-4"},
            {"anthropic", "claude-sonnet-4-5"},
            {"anthropic", "claude-sonnet-4"},
            {"anthropic", "claude-3-7-sonnet"},
            {"anthropic", "claude-haiku-4-5"},
            {"anthropic", "claude-3-5-haiku"},
            {"anthropic", "claude-sonnet-4-5-20250929"},
            {"anthropic", "claude-3-5-haiku-latest"},
            {"gcp.gemini", "gemini-3-pro-preview"},
            {"gcp.gemini", "gemini-2.5-pro"},
            {"gcp.gemini", "gemini-2.5-flash"},
            {"gcp.gemini", "gemini-2.5-flash-lite"},
            {"gcp.gemini", "gemini-2.0-flash"},
            {"gcp.gemini", "gemini-embedding-001"},
            {"gcp.vertex_ai", "gemini-2.5-pro"},
            {"gcp.gemini", "models/gemini-2.5-flash"},
            {"aws.bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0"},
            {"aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
            {"aws.bedrock", "amazon.nova-pro-v1:0"},
            {"aws.bedrock", "amazon.nova-lite-v1:0"},
            {"aws.bedrock", "amazon.nova-micro-v1:0"},
            {"aws.bedrock", "amazon.nova-premier-v1:0"},
            {"aws.bedrock", "amazon.titan-embed-text-v2:0"},
            {"aws.bedrock", "meta.llama3-3-70b-instruct-v1:0"},
            {"aws.bedrock", "meta.llama4-maverick-17b-instruct-v1:0"},
            {"aws.bedrock", "meta.llama4-scout-17b-instruct-v1:0"},
            {"aws.bedrock", "cohere.command-r-plus-v1:0"},
            {"aws.bedrock", "cohere.command-r-v1:0"},
            {"aws.bedrock", "cohere.embed-english-v3"},
            {"aws.bedrock", "mistral.mistral-large-2407-v1:0"},
            {"aws.bedrock", "mistral.pixtral-large-2502-v1:0"},
            // every InvokeModel body family the Bedrock instrumentation parses
            {"aws.bedrock", "amazon.titan-text-express-v1"},
            {"aws.bedrock", "amazon.titan-text-express-v1:0:8k"},
            {"aws.bedrock", "amazon.titan-text-lite-v1"},
            {"aws.bedrock", "amazon.titan-text-premier-v1:0"},
            {"aws.bedrock", "amazon.titan-embed-text-v1"},
            {"aws.bedrock", "meta.llama3-1-8b-instruct-v1:0"},
            {"aws.bedrock", "us.meta.llama3-1-70b-instruct-v1:0"},
            {"aws.bedrock", "mistral.mistral-7b-instruct-v0:2"},
            {"aws.bedrock", "mistral.mixtral-8x7b-instruct-v0:1"},
            {"aws.bedrock", "mistral.mistral-small-2402-v1:0"},
            {"aws.bedrock", "cohere.embed-multilingual-v3"},
            {"aws.bedrock", "global.anthropic.claude-haiku-4-5-20251001-v1:0"},
            {"aws.bedrock", "eu.amazon.nova-lite-v1:0"},
            {"aws.bedrock", "apac.amazon.nova-micro-v1:0"},
            {"deepseek", "deepseek-chat"},
            {"deepseek", "deepseek-reasoner"}
        };
        assertAll(
                Arrays.stream(required)
                        .map(
                                r ->
                                        () ->
                                                assertNotNull(
                                                        bundled.find(r[0], r[1]),
                                                        r[0] + " / " + r[1])));
    }

    @Test
    void unknownModelsAndProvidersAreNull() {
        assertNull(bundled.find("openai", "gpt-99-ultra"));
        assertNull(bundled.find("anthropic", "gpt-4o"), "prices are per provider");
        assertNull(bundled.find("groq", "gpt-4o"));
        assertNull(bundled.find("openai", "GPT-4O"), "ids are case-sensitive");
        assertNull(bundled.find("openai", "  "));
        assertNull(bundled.find(null, "gpt-4o"));
        assertNull(bundled.find("openai", null));
        // a miss is cached; asking again must still miss, not throw
        assertNull(bundled.find("openai", "gpt-99-ultra"));
    }

    @Test
    void lookupTrimsWhitespaceAndPrefersExactIdsOverAliases() {
        assertEquals("gpt-4o", bundled.find(" openai ", " gpt-4o\n").model());
        // gpt-4o-2024-05-13 also matches the gpt-4o alias but kept its own, higher price
        ModelPrice may = bundled.find("openai", "gpt-4o-2024-05-13");
        assertEquals("gpt-4o-2024-05-13", may.model());
        assertEquals(5.00, may.input());
        assertEquals(2.50, bundled.find("openai", "gpt-4o-2024-08-06").input());
        assertEquals(
                "azure.ai.openai", bundled.find("azure.ai.openai", "gpt-4o-2024-08-06").provider());
    }

    @Test
    void bedrockRegionAndInferenceProfilePrefixesResolveToTheBedrockEntry() {
        String base = "anthropic.claude-sonnet-4-5-20250929-v1:0";
        for (String id :
                List.of(
                        "us." + base,
                        "eu." + base,
                        "apac." + base,
                        "jp." + base,
                        "au." + base,
                        "us-gov." + base,
                        "anthropic.claude-sonnet-4-5-20250929-v1",
                        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us." + base)) {
            ModelPrice p = bundled.find("aws.bedrock", id);
            assertNotNull(p, id);
            assertEquals(base, p.model(), id);
            assertEquals("aws.bedrock", p.provider());
        }
        // the global profile of Claude 4.5 models is priced 10% below the geographic / in-region
        // ones
        assertEquals(3.00, bundled.find("aws.bedrock", "global." + base).input());
        assertEquals(3.30, bundled.find("aws.bedrock", "us." + base).input());
        assertEquals(
                "anthropic.claude-sonnet-4-20250514-v1:0",
                bundled.find("aws.bedrock", "global.anthropic.claude-sonnet-4-20250514-v1:0")
                        .model());
        assertEquals(
                "amazon.nova-pro-v1:0",
                bundled.find("aws.bedrock", "eu.amazon.nova-pro-v1:0").model());
        assertNull(
                bundled.find("aws.bedrock", "xx.anthropic.claude-sonnet-4-5-20250929-v1:0"),
                "not a known region prefix");
        assertNull(
                bundled.find("anthropic", "us." + base), "Bedrock ids are not Anthropic API ids");
    }

    @Test
    void geminiPathPrefixesAndPreviewSuffixesResolve() {
        assertEquals(
                "gemini-2.5-pro",
                bundled.find(
                                "gcp.vertex_ai",
                                "projects/p/locations/europe-west4/publishers/google/models/gemini-2.5-pro")
                        .model());
        assertEquals(
                "gemini-2.5-flash-lite",
                bundled.find("gcp.gemini", "models/gemini-2.5-flash-lite").model());
        assertEquals(
                "gemini-2.0-flash", bundled.find("gcp.gemini", "gemini-2.0-flash-001").model());
        assertNull(
                bundled.find("gcp.gemini", "gemini-2.5-flash-image"),
                "a different model, not an alias");
        // Vertex AI lists 2.0 Flash at a different price than the Gemini API
        assertEquals(0.10, bundled.find("gcp.gemini", "gemini-2.0-flash-001").input());
        assertEquals(0.15, bundled.find("gcp.vertex_ai", "gemini-2.0-flash-001").input());
    }

    @Test
    void lookupsStayCorrectBeyondTheCacheBound() {
        for (int i = 0; i < 2_500; i++) assertNull(bundled.find("openai", "fine-tune-" + i));
        assertEquals("gpt-4.1", bundled.find("openai", "gpt-4.1-2025-04-14").model());
        assertEquals(
                "claude-haiku-4-5", bundled.find("anthropic", "claude-haiku-4-5-20251001").model());
        assertSame(bundled.find("openai", "o3"), bundled.find("openai", "o3"));
    }

    @Test
    void overrideAddsAndReplacesModelsAndKeepsTheRest() throws IOException {
        PriceTable override =
                parse(
                        """
        { "models": [
          { "provider": "openai", "model": "gpt-4o", "input": 2.00, "output": 8.00 },
          { "providers": ["openai"], "model": "ft:gpt-4o-mini:acme", "input": 0.30, "output": 1.20,
            "aliases": ["ft:gpt-4o-mini-2024-07-18:acme::[A-Za-z0-9]+"], "examples": ["ft:gpt-4o-mini-2024-07-18:acme::B7x9"] },
          { "provider": "ollama", "model": "llama3.2", "free": true, "input": 0, "output": 0 }
        ] }""",
                        "/etc/llmlens/prices.json");
        PriceTable merged = bundled.mergedWith(override);

        assertEquals(bundled.date() + " + /etc/llmlens/prices.json", merged.date());
        assertEquals(bundled.size() + 2, merged.size());

        ModelPrice gpt4o = merged.find("openai", "gpt-4o");
        assertEquals(2.00, gpt4o.input());
        assertEquals(
                2.00,
                gpt4o.cacheRead(),
                "missing cache price falls back to the override's input price");
        assertEquals("/etc/llmlens/prices.json", gpt4o.source());
        assertSame(
                gpt4o,
                merged.find("openai", "gpt-4o-2024-11-20"),
                "an override without aliases keeps the bundled ones");
        assertEquals(
                2.50,
                merged.find("azure.ai.openai", "gpt-4o").input(),
                "only the overridden provider changes");
        assertEquals(
                2.50,
                bundled.find("openai", "gpt-4o").input(),
                "the bundled table itself is unchanged");

        assertEquals(0.30, merged.find("openai", "ft:gpt-4o-mini-2024-07-18:acme::Zq12").input());
        assertEquals(0.0, merged.find("ollama", "llama3.2").cost(1_000, 0, 0, 1_000));
        assertEquals(
                "claude-sonnet-4-5",
                merged.find("anthropic", "claude-sonnet-4-5-20250929").model());
        assertEquals(0.15, merged.find("openai", "gpt-4o-mini-2024-07-18").input());
        assertNull(bundled.find("ollama", "llama3.2"));
    }

    @Test
    void overrideAliasesAreTriedBeforeBundledOnes() throws IOException {
        PriceTable merged =
                bundled.mergedWith(
                        parse(
                                """
        { "date": "2026-12-01", "models": [ { "provider": "openai", "model": "gpt-4.1-discounted",
          "input": 1.00, "output": 4.00, "aliases": ["gpt-4.1-2025-04-14"] } ] }""",
                                "discount.json"));
        assertEquals("gpt-4.1-discounted", merged.find("openai", "gpt-4.1-2025-04-14").model());
        assertEquals("gpt-4.1", merged.find("openai", "gpt-4.1").model());
        assertEquals("gpt-4.1", bundled.find("openai", "gpt-4.1-2025-04-14").model());
    }
}
