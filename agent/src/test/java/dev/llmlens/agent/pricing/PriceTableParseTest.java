package dev.llmlens.agent.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Malformed tables are rejected with a message naming the source, the entry and the problem. */
class PriceTableParseTest {

    private static String rejected(String json, String... expectedInMessage) {
        IOException e =
                assertThrows(IOException.class, () -> PriceTableTest.parse(json, "bad.json"));
        String message = e.getMessage();
        assertTrue(message.startsWith("bad.json: "), message);
        for (String expected : expectedInMessage)
            assertTrue(message.contains(expected), "'" + expected + "' not in: " + message);
        return message;
    }

    private static String models(String entries) {
        return "{ \"models\": [ " + entries + " ] }";
    }

    @Test
    void invalidJson() {
        rejected("{ \"models\": [ { \"provider\": \"p\", ", "invalid JSON");
        rejected("{ \"models\": [], \"models\": [] }", "invalid JSON");
        rejected("", "invalid JSON");
        rejected(
                "{ \"models\": [ { \"provider\": \"p\" } ]\n  \"date\": 1 }",
                "invalid JSON at line 2");
        rejected("[ { \"model\": \"m\" } ]", "bad.json");
        rejected(
                "{ \"models\": [] } { \"models\": [] }",
                "invalid JSON",
                "after the top-level object");
        rejected("{ \"models\": [] } x", "invalid JSON");
    }

    @Test
    void negativePrice() {
        rejected(
                models("{ \"provider\": \"p\", \"model\": \"m\", \"input\": -1, \"output\": 2 }"),
                "models[0] (m)",
                "'input'",
                ">= 0",
                "-1");
        rejected(
                models(
                        "{ \"provider\": \"p\", \"model\": \"m\", \"input\": 1, \"output\": 2, \"cache_read\": -0.5 }"),
                "'cache_read'");
    }

    @Test
    void zeroPriceNeedsAFlag() {
        rejected(
                models(
                        "{ \"provider\": \"p\", \"model\": \"ok\", \"input\": 1, \"output\": 2 },"
                                + "{ \"provider\": \"p\", \"model\": \"m\", \"input\": 1, \"output\": 0 }"),
                "models[1] (m)",
                "'output' is 0",
                "\"free\": true");
        rejected(
                models(
                        "{ \"provider\": \"p\", \"model\": \"m\", \"input\": 1, \"output\": 2, \"cache_read\": 0 }"),
                "'cache_read' is 0");
        rejected(
                models(
                        "{ \"provider\": \"p\", \"model\": \"e\", \"embedding\": true, \"input\": 0 }"),
                "'input' is 0");
    }

    @Test
    void flaggedZeroPricesAreAccepted() throws IOException {
        PriceTable t =
                PriceTableTest.parse(
                        models(
                                "{ \"provider\": \"p\", \"model\": \"local\", \"free\": true, \"input\": 0, \"output\": 0 },"
                                        + "{ \"provider\": \"p\", \"model\": \"embed\", \"embedding\": true, \"input\": 0.02 }"),
                        "ok.json");
        assertEquals(0.0, t.find("p", "local").cost(10, 0, 0, 10));
        ModelPrice embed = t.find("p", "embed");
        assertEquals(0.0, embed.output());
        assertEquals(0.02, embed.cacheRead(), "cache prices still fall back to input, never 0");
        assertEquals("ok.json", embed.source());
        assertEquals("undated", t.date());
    }

    @Test
    void badAliasRegex() {
        rejected(
                models(
                        "{ \"provider\": \"p\", \"model\": \"m\", \"input\": 1, \"output\": 2, \"aliases\": [\"m-(\\\\d\"] }"),
                "models[0] (m)",
                "alias \"m-(\\d\"",
                "not a valid regex");
    }

    @Test
    void exampleThatResolvesToNothing() {
        rejected(
                models(
                        "{ \"provider\": \"p\", \"model\": \"m\", \"input\": 1, \"output\": 2, "
                                + "\"aliases\": [\"m-[0-9]+\"], \"examples\": [\"m-x\"] }"),
                "models[0] (m)",
                "example \"m-x\"");
    }

    @Test
    void missingOrMalformedFields() {
        rejected(
                models("{ \"provider\": \"p\", \"input\": 1, \"output\": 2 }"),
                "models[0]",
                "missing field 'model'");
        rejected(
                models("{ \"provider\": \"p\", \"model\": \"m\", \"output\": 2 }"),
                "models[0] (m)",
                "missing field 'input'");
        rejected(
                models("{ \"provider\": \"p\", \"model\": \"m\", \"input\": 1 }"),
                "missing field 'output'");
        rejected(models("{ \"model\": \"m\", \"input\": 1, \"output\": 2 }"), "'providers'");
        rejected(
                models("{ \"providers\": [], \"model\": \"m\", \"input\": 1, \"output\": 2 }"),
                "'providers' is empty");
        rejected(
                models(
                        "{ \"provider\": \"p\", \"model\": \"m\", \"input\": \"2.5\", \"output\": 2 }"),
                "'input' must be a number",
                "\"2.5\"");
        rejected(
                models(
                        "{ \"provider\": \"p\", \"model\": \"m\", \"input\": 1, \"output\": 2, \"cache_reads\": 1 }"),
                "unknown field 'cache_reads'");
        rejected("{ \"date\": \"22.11.2026\", \"models\": [] }", "'date' must be an ISO date");
        rejected("{ \"currency\": \"EUR\", \"models\": [] }", "'currency' must be \"USD\"");
        rejected("{ \"date\": \"2026-11-22\" }", "missing field 'models'");
    }

    @Test
    void badTiers() {
        String entry =
                "{ \"provider\": \"p\", \"model\": \"m\", \"input\": 1, \"output\": 2, \"tiers\": [ %s ] }";
        rejected(
                models(
                        entry.formatted(
                                "{ \"above_input_tokens\": -5, \"input\": 2, \"output\": 4 }")),
                "models[0] (m) tiers[0]",
                "above_input_tokens");
        rejected(
                models(
                        entry.formatted(
                                "{ \"above_input_tokens\": 1.5, \"input\": 2, \"output\": 4 }")),
                "whole number");
        rejected(
                models(entry.formatted("{ \"above_input_tokens\": 10, \"output\": 4 }")),
                "tiers[0]",
                "missing field 'input'");
        rejected(
                models(
                        entry.formatted(
                                "{ \"above_input_tokens\": 10, \"input\": 2, \"output\": 4 },"
                                        + "{ \"above_input_tokens\": 10, \"input\": 3, \"output\": 5 }")),
                "tiers[1]",
                "duplicate");
    }

    @Test
    void duplicateProviderAndModel() {
        rejected(
                models(
                        "{ \"providers\": [\"a\", \"b\"], \"model\": \"m\", \"input\": 1, \"output\": 2 },"
                                + "{ \"provider\": \"b\", \"model\": \"m\", \"input\": 3, \"output\": 4 }"),
                "models[1] (m)",
                "'b'",
                "models[0]");
    }
}
