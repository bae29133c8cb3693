package dev.llmlens.smoke.harness;

import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertCost;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertExceptionEvent;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertFailedCall;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertNoUsage;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertTimeToFirstChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.mock.MockOpenAiServer;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.util.Comparator;
import java.util.List;

/**
 * What each sample-app scenario must produce: exactly one CLIENT span per HTTP round trip, with the
 * attributes the mock's fixed payloads imply, and the cost the bundled price table implies.
 */
public final class OpenAiExpectations {

    // USD per 1M tokens from the bundled price table, so the expected costs below can be checked by hand
    /** gpt-4o-mini: (42 − 10 cached) × 0.15 + 10 × 0.075 + 17 × 0.60 = 15.75 per 1M calls' worth → 1.575e-5 USD. */
    public static final double GPT_4O_MINI_CHAT_COST = 1.575e-5;
    /** gpt-4o: 32 × 2.50 + 10 × 1.25 + 17 × 10.00 = 262.5 → 2.625e-4 USD. */
    public static final double GPT_4O_CHAT_COST = 2.625e-4;
    /** gpt-4.1-mini (Responses API): 31 × 0.40 + 12 × 1.60 = 31.6 → 3.16e-5 USD. */
    public static final double GPT_41_MINI_RESPONSES_COST = 3.16e-5;
    /** text-embedding-3-small: 8 × 0.02 = 0.16 → 1.6e-7 USD. */
    public static final double EMBEDDING_COST = 1.6e-7;

    private OpenAiExpectations() {}

    public static List<ReceivedSpan> byStartTime(List<ReceivedSpan> spans) {
        return spans.stream().sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
    }

    /** Checks the i-th span (by start time) against the i-th scenario the app ran. */
    public static void assertScenarioSpans(List<String> scenarios, List<ReceivedSpan> received, int mockPort) {
        List<ReceivedSpan> spans = byStartTime(received);
        assertEquals(scenarios.size(), spans.size(), "one span per model call:\n" + names(spans));
        for (int i = 0; i < scenarios.size(); i++) {
            String scenario = scenarios.get(i);
            ReceivedSpan span = spans.get(i);
            try {
                assertScenario(scenario, span, mockPort);
            } catch (AssertionError e) {
                throw new AssertionError("scenario " + scenario + ", span " + span + ": " + e.getMessage(), e);
            }
        }
    }

    private static String names(List<ReceivedSpan> spans) {
        return String.join("\n", spans.stream().map(ReceivedSpan::name).toList());
    }

    private static void assertScenario(String scenario, ReceivedSpan span, int mockPort) {
        assertEquals("CLIENT", span.kind());
        if (scenario.equals("chat-in-app-trace")) {
            // the app's own OpenTelemetry span (fixed ids in OwnLibraries) is the parent; its baggage is copied
            assertEquals("0af7651916cd43dd8448eb211c80319c", span.traceId());
            assertEquals("b7ad6b7169203331", span.parentSpanId());
            assertEquals("u-smoke", span.attribute("user.id"));
            assertEquals("s-smoke", span.attribute("session.id"));
            assertNull(span.attribute("tenant"), "only the configured baggage keys");
        } else {
            assertEquals("", span.parentSpanId(), "a call made outside any span is a root");
            assertNull(span.attribute("user.id"));
        }
        assertEquals("llm-lens", span.scopeName());
        assertEquals("127.0.0.1", span.attribute("server.address"));
        assertEquals((long) mockPort, span.attribute("server.port"));
        String provider = scenario.equals("azure-chat") ? "azure.ai.openai" : "openai";
        assertEquals(provider, span.attribute("gen_ai.provider.name"));
        switch (scenario) {
            case "chat-sync", "chat-from-env", "chat-async", "azure-chat", "chat-in-app-trace" -> {
                assertChat(span, "gpt-4o-mini", false);
                assertChatUsage(span, GPT_4O_MINI_CHAT_COST);
            }
            case "chat-sync-with-options" -> {
                assertChat(span, "gpt-4o", false);
                assertChatUsage(span, GPT_4O_CHAT_COST);
                assertEquals(0.2, span.attribute("gen_ai.request.temperature"));
                assertEquals(0.9, span.attribute("gen_ai.request.top_p"));
                assertEquals(100L, span.attribute("gen_ai.request.max_tokens"));
                assertEquals(7L, span.attribute("gen_ai.request.seed"));
                assertEquals(0.1, span.attribute("gen_ai.request.frequency_penalty"));
                assertEquals(0.3, span.attribute("gen_ai.request.presence_penalty"));
                assertEquals(List.of("END"), span.attribute("gen_ai.request.stop_sequences"));
            }
            case "chat-stream-usage", "chat-stream-async", "chat-raw-stream" -> {
                assertChat(span, "gpt-4o-mini", true);
                assertChatUsage(span, GPT_4O_MINI_CHAT_COST);
                assertTimeToFirstChunk(span);
            }
            case "chat-stream-no-usage" -> {
                assertChat(span, "gpt-4o-mini", true);
                assertNoUsage(span);
                assertTimeToFirstChunk(span);
            }
            case "chat-stream-closed-early" -> {
                // two chunks read, then closed: not an error, what was seen is there, no usage yet
                assertEquals("chat gpt-4o-mini", span.name());
                assertEquals(true, span.attribute("gen_ai.request.stream"));
                assertEquals(true, span.attribute("llmlens.response.incomplete"));
                assertEquals("UNSET", span.statusCode());
                assertNull(span.attribute("error.type"));
                assertTrue(((String) span.attribute("gen_ai.response.id")).startsWith("chatcmpl-mock-"));
                assertNoUsage(span);
                assertTimeToFirstChunk(span);
            }
            case "responses-sync", "responses-async", "responses-stream" -> {
                assertEquals("chat gpt-4.1-mini", span.name());
                assertEquals("responses", span.attribute("openai.api.type"));
                assertEquals("gpt-4.1-mini", span.attribute("gen_ai.request.model"));
                assertEquals("gpt-4.1-mini-2025-01-01", span.attribute("gen_ai.response.model"));
                assertTrue(((String) span.attribute("gen_ai.response.id")).startsWith("resp_mock_"));
                assertEquals(List.of("completed"), span.attribute("gen_ai.response.finish_reasons"));
                assertEquals(MockOpenAiServer.RESPONSES_INPUT_TOKENS, span.attribute("gen_ai.usage.input_tokens"));
                assertEquals(MockOpenAiServer.RESPONSES_OUTPUT_TOKENS, span.attribute("gen_ai.usage.output_tokens"));
                assertCost(span, GPT_41_MINI_RESPONSES_COST);
                assertEquals("UNSET", span.statusCode());
                if (scenario.equals("responses-stream")) {
                    assertEquals(true, span.attribute("gen_ai.request.stream"));
                    assertTimeToFirstChunk(span);
                }
            }
            case "embeddings-sync", "embeddings-async" -> {
                assertEquals("embeddings text-embedding-3-small", span.name());
                assertEquals("embeddings", span.attribute("gen_ai.operation.name"));
                assertEquals("text-embedding-3-small", span.attribute("gen_ai.response.model"));
                assertEquals(MockOpenAiServer.EMBEDDING_PROMPT_TOKENS, span.attribute("gen_ai.usage.input_tokens"));
                assertNull(span.attribute("gen_ai.usage.output_tokens"));
                assertEquals((long) MockOpenAiServer.EMBEDDING.size(), span.attribute("gen_ai.embeddings.dimension.count"));
                assertCost(span, EMBEDDING_COST);
            }
            case "chat-raw" -> {
                // withRawResponse(): the body stays the app's to parse, so no response attributes
                assertEquals("chat gpt-4o-mini", span.name());
                assertEquals("UNSET", span.statusCode());
                assertNoUsage(span);
            }
            case "chat-unpriced" -> {
                assertEquals("chat acme-private-model", span.name());
                assertEquals(MockOpenAiServer.CHAT_PROMPT_TOKENS, span.attribute("gen_ai.usage.input_tokens"));
                assertNull(span.attribute("gen_ai.usage.cost"), "an unknown model is unpriced, never $0");
            }
            case "error-429" -> assertError(span, "mock-429", "com.openai.errors.RateLimitException", 429L);
            case "error-500" -> assertError(span, "mock-500", "com.openai.errors.InternalServerException", 500L);
            case "error-broken-stream" -> {
                assertEquals("chat mock-broken-stream", span.name());
                assertEquals("ERROR", span.statusCode());
                assertNotNull(span.attribute("error.type"));
                assertExceptionEvent(span, (String) span.attribute("error.type"));
            }
            default -> throw new AssertionError("no expectation for scenario " + scenario);
        }
    }

    private static void assertChat(ReceivedSpan span, String model, boolean stream) {
        assertEquals("chat " + model, span.name());
        assertEquals("chat", span.attribute("gen_ai.operation.name"));
        assertEquals("chat_completions", span.attribute("openai.api.type"));
        assertEquals(model, span.attribute("gen_ai.request.model"));
        assertEquals(MockOpenAiServer.responseModel(model), span.attribute("gen_ai.response.model"));
        assertTrue(((String) span.attribute("gen_ai.response.id")).startsWith("chatcmpl-mock-"));
        assertEquals(List.of("stop"), span.attribute("gen_ai.response.finish_reasons"));
        assertEquals(MockOpenAiServer.SYSTEM_FINGERPRINT, span.attribute("openai.response.system_fingerprint"));
        assertEquals(stream ? Boolean.TRUE : null, span.attribute("gen_ai.request.stream"));
        assertEquals("UNSET", span.statusCode());
        assertNull(span.attribute("error.type"));
    }

    private static void assertChatUsage(ReceivedSpan span, double cost) {
        assertEquals(MockOpenAiServer.CHAT_PROMPT_TOKENS, span.attribute("gen_ai.usage.input_tokens"));
        assertEquals(MockOpenAiServer.CHAT_COMPLETION_TOKENS, span.attribute("gen_ai.usage.output_tokens"));
        assertEquals(MockOpenAiServer.CHAT_CACHED_TOKENS, span.attribute("gen_ai.usage.cache_read.input_tokens"));
        assertEquals(MockOpenAiServer.CHAT_REASONING_TOKENS, span.attribute("gen_ai.usage.reasoning.output_tokens"));
        assertCost(span, cost);
    }

    private static void assertError(ReceivedSpan span, String model, String errorType, long status) {
        assertEquals("chat " + model, span.name());
        assertFailedCall(span, errorType, status);
    }
}
