package dev.llmlens.smoke.harness;

import static dev.llmlens.smoke.mock.MockGeminiServer.CACHED_TOKENS;
import static dev.llmlens.smoke.mock.MockGeminiServer.CALL_CANDIDATES_TOKENS;
import static dev.llmlens.smoke.mock.MockGeminiServer.CALL_PROMPT_TOKENS;
import static dev.llmlens.smoke.mock.MockGeminiServer.CANDIDATES_TOKENS;
import static dev.llmlens.smoke.mock.MockGeminiServer.FINAL_CANDIDATES_TOKENS;
import static dev.llmlens.smoke.mock.MockGeminiServer.FINAL_PROMPT_TOKENS;
import static dev.llmlens.smoke.mock.MockGeminiServer.PROMPT_TOKENS;
import static dev.llmlens.smoke.mock.MockGeminiServer.THOUGHTS_TOKENS;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertCost;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertExceptionEvent;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertFailedCall;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertNoUsage;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertTimeToFirstChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.app.GoogleGenAiScenarios;
import dev.llmlens.smoke.mock.MockGeminiServer;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What each google-genai scenario must produce: one CLIENT span per HTTP round trip, and for the
 * SDK's automatic function calling an invoke_agent span holding the round trips and the tool spans.
 */
public final class GoogleGenAiExpectations {

    // USD per 1M tokens from the bundled price table (gemini-2.5-flash: 0.30 in, 0.03 cached, 2.50 out)
    /** (120 − 40) × 0.30 + 40 × 0.03 + (30 + 12 thinking) × 2.50 = 130.2 → 1.302e-4 USD. */
    public static final double FULL_USAGE_COST = 1.302e-4;
    /** The function-call round trip: 50 × 0.30 + 8 × 2.50 = 35 → 3.5e-5 USD. */
    public static final double CALL_COST = 3.5e-5;
    /** The final round trip of a tool loop: 70 × 0.30 + 20 × 2.50 = 71 → 7.1e-5 USD. */
    public static final double FINAL_COST = 7.1e-5;
    /** A stream closed after its first chunk: only the prompt was counted, 120 × 0.30 → 3.6e-5 USD. */
    public static final double CLOSED_EARLY_COST = 3.6e-5;
    /** gemini-embedding-001 on Vertex AI: 6 × 0.15 → 9e-7 USD. */
    public static final double VERTEX_EMBEDDING_COST = 9e-7;

    private static final String MODEL = GoogleGenAiScenarios.MODEL;

    private GoogleGenAiExpectations() {}

    /**
     * Checks the root spans, in start order, against the scenarios the app ran: a round trip is a root
     * unless it ran inside a tool loop, whose invoke_agent span is the root instead.
     */
    public static void assertScenarioSpans(List<ReceivedSpan> received, int mockPort) {
        List<ReceivedSpan> roots = received.stream().filter(s -> s.parentSpanId().isEmpty())
                .sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
        List<String> expectedRoots = new ArrayList<>();
        GoogleGenAiScenarios.SCENARIOS.forEach((scenario, roundTrips) -> {
            int rootCount = scenario.startsWith("afc-") ? 1 : roundTrips;
            for (int i = 0; i < rootCount; i++) {
                expectedRoots.add(scenario);
            }
        });
        assertEquals(expectedRoots.size(), roots.size(), "roots:\n" + String.join("\n", roots.stream().map(ReceivedSpan::name).toList()));
        for (int i = 0; i < roots.size(); i++) {
            String scenario = expectedRoots.get(i);
            ReceivedSpan root = roots.get(i);
            try {
                assertRoot(scenario, root, childrenOf(root, received), mockPort);
            } catch (AssertionError e) {
                throw new AssertionError("scenario " + scenario + ", span " + root + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<ReceivedSpan> childrenOf(ReceivedSpan parent, List<ReceivedSpan> spans) {
        return spans.stream().filter(s -> s.traceId().equals(parent.traceId()) && s.parentSpanId().equals(parent.spanId()))
                .sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
    }

    private static void assertRoot(String scenario, ReceivedSpan span, List<ReceivedSpan> children, int mockPort) {
        assertEquals("llm-lens", span.scopeName());
        if (!scenario.startsWith("afc-")) {
            assertEquals(List.of(), children, "a call without tools is one span");
        }
        switch (scenario) {
            case "generate-sync", "generate-async", "chat-session" -> {
                assertGenerate(span, mockPort, "gcp.gemini", false);
                assertFullUsage(span);
            }
            case "generate-with-options" -> {
                assertGenerate(span, mockPort, "gcp.gemini", false);
                assertFullUsage(span);
                assertEquals(0.25, span.attribute("gen_ai.request.temperature"));
                assertEquals(0.5, span.attribute("gen_ai.request.top_p"));
                assertEquals(100L, span.attribute("gen_ai.request.max_tokens"));
                assertEquals(7L, span.attribute("gen_ai.request.seed"));
                assertEquals(List.of("END"), span.attribute("gen_ai.request.stop_sequences"));
                assertEquals("json", span.attribute("gen_ai.output.type"));
            }
            case "generate-stream", "generate-stream-async", "chat-session-stream" -> {
                assertGenerate(span, mockPort, "gcp.gemini", true);
                assertFullUsage(span);
                assertTimeToFirstChunk(span);
            }
            case "generate-stream-closed-early" -> {
                // one chunk read, then closed: not an error; what the chunk said is there
                assertEquals("generate_content " + MODEL, span.name());
                assertEquals(true, span.attribute("gen_ai.request.stream"));
                assertEquals(true, span.attribute("llmlens.response.incomplete"));
                assertEquals("UNSET", span.statusCode());
                assertNull(span.attribute("gen_ai.response.finish_reasons"));
                assertEquals((long) PROMPT_TOKENS, span.attribute("gen_ai.usage.input_tokens"));
                assertNull(span.attribute("gen_ai.usage.output_tokens"));
                assertCost(span, CLOSED_EARLY_COST);
                assertTimeToFirstChunk(span);
            }
            case "embed" -> {
                assertEquals("embeddings " + GoogleGenAiScenarios.EMBEDDING_MODEL, span.name());
                assertEquals("embeddings", span.attribute("gen_ai.operation.name"));
                assertEquals("gcp.gemini", span.attribute("gen_ai.provider.name"));
                assertEquals((long) MockGeminiServer.EMBEDDING.size(), span.attribute("gen_ai.embeddings.dimension.count"));
                assertNoUsage(span);
            }
            case "afc-sync", "afc-async", "afc-tool-error" -> assertToolLoop(scenario, span, children, mockPort);
            case "error-429" -> assertError(span, "mock-429", "com.google.genai.errors.ClientException", 429L);
            case "error-500" -> assertError(span, "mock-500", "com.google.genai.errors.ServerException", 500L);
            case "vertex-generate" -> {
                assertGenerate(span, mockPort, "gcp.vertex_ai", false);
                assertFullUsage(span);
            }
            case "vertex-embed" -> {
                assertEquals("embeddings " + GoogleGenAiScenarios.EMBEDDING_MODEL, span.name());
                assertEquals("gcp.vertex_ai", span.attribute("gen_ai.provider.name"));
                assertEquals((long) MockGeminiServer.EMBEDDING_TOKENS, span.attribute("gen_ai.usage.input_tokens"));
                assertCost(span, VERTEX_EMBEDDING_COST);
            }
            default -> throw new AssertionError("no expectation for scenario " + scenario);
        }
    }

    private static void assertToolLoop(String scenario, ReceivedSpan run, List<ReceivedSpan> children, int mockPort) {
        assertEquals("invoke_agent AutomaticFunctionCalling", run.name());
        assertEquals("INTERNAL", run.kind());
        assertEquals("invoke_agent", run.attribute("gen_ai.operation.name"));
        assertEquals("AutomaticFunctionCalling", run.attribute("gen_ai.agent.name"));
        assertEquals(MODEL, run.attribute("gen_ai.request.model"));
        assertEquals(scenario.equals("afc-async") ? "com.google.genai.AsyncModels.generateContent"
                : "com.google.genai.Models.generateContent", run.attribute("code.function.name"));
        assertNull(run.attribute("gen_ai.provider.name"), "an in-process agent span has no provider");
        assertEquals("UNSET", run.statusCode());
        assertEquals(2L, run.attribute("llmlens.run.model_calls"));
        assertEquals(1L, run.attribute("llmlens.run.tool_calls"));
        assertEquals((long) (CALL_PROMPT_TOKENS + FINAL_PROMPT_TOKENS), run.attribute("llmlens.run.input_tokens"));
        assertEquals((long) (CALL_CANDIDATES_TOKENS + FINAL_CANDIDATES_TOKENS), run.attribute("llmlens.run.output_tokens"));
        assertEquals(CALL_COST + FINAL_COST, (Double) run.attribute("llmlens.run.cost_usd"), 1e-12);
        assertNull(run.attribute("gen_ai.usage.input_tokens"), "run totals never use gen_ai.usage.*");

        assertEquals(List.of("generate_content " + MODEL, "execute_tool " + tool(scenario), "generate_content " + MODEL),
                children.stream().map(ReceivedSpan::name).toList(), "round trip, tool, round trip");
        ReceivedSpan call = children.get(0);
        ReceivedSpan tool = children.get(1);
        ReceivedSpan answer = children.get(2);
        assertGenerate(call, mockPort, "gcp.gemini", false);
        assertEquals((long) CALL_PROMPT_TOKENS, call.attribute("gen_ai.usage.input_tokens"));
        assertEquals((long) CALL_CANDIDATES_TOKENS, call.attribute("gen_ai.usage.output_tokens"));
        assertCost(call, CALL_COST);
        assertGenerate(answer, mockPort, "gcp.gemini", false);
        assertEquals((long) FINAL_PROMPT_TOKENS, answer.attribute("gen_ai.usage.input_tokens"));
        assertEquals((long) FINAL_CANDIDATES_TOKENS, answer.attribute("gen_ai.usage.output_tokens"));
        assertCost(answer, FINAL_COST);
        // span start times have millisecond precision (Operation.startEpochNanos), ends are start + duration
        long precision = 1_000_000;
        assertTrue(call.endEpochNanos() <= tool.startEpochNanos() + precision
                        && tool.endEpochNanos() <= answer.startEpochNanos() + precision,
                "the tool runs between the two round trips");

        assertEquals("INTERNAL", tool.kind());
        assertEquals("execute_tool", tool.attribute("gen_ai.operation.name"));
        assertEquals(tool(scenario), tool.attribute("gen_ai.tool.name"));
        assertEquals("function", tool.attribute("gen_ai.tool.type"));
        assertEquals(MockGeminiServer.FUNCTION_CALL_ID, tool.attribute("gen_ai.tool.call.id"));
        assertEquals("AutomaticFunctionCalling", tool.attribute("gen_ai.agent.name"));
        if (scenario.equals("afc-tool-error")) {
            // the SDK tells the model the tool failed and goes on: only the tool's span is an error
            assertEquals("ERROR", tool.statusCode());
            assertEquals("java.lang.IllegalStateException", tool.attribute("error.type"));
            assertExceptionEvent(tool, "java.lang.IllegalStateException");
        } else {
            assertEquals("UNSET", tool.statusCode());
            assertNull(tool.attribute("error.type"));
        }
    }

    private static String tool(String scenario) {
        return scenario.equals("afc-tool-error") ? "failingLookup" : "getWeather";
    }

    private static void assertGenerate(ReceivedSpan span, int mockPort, String provider, boolean stream) {
        assertEquals("generate_content " + MODEL, span.name());
        assertEquals("CLIENT", span.kind());
        assertEquals("generate_content", span.attribute("gen_ai.operation.name"));
        assertEquals(provider, span.attribute("gen_ai.provider.name"));
        assertEquals(MODEL, span.attribute("gen_ai.request.model"));
        assertEquals(MODEL, span.attribute("gen_ai.response.model"));
        assertEquals("127.0.0.1", span.attribute("server.address"));
        assertEquals((long) mockPort, span.attribute("server.port"));
        assertTrue(((String) span.attribute("gen_ai.response.id")).startsWith("mock-resp-"));
        assertEquals(List.of("stop"), span.attribute("gen_ai.response.finish_reasons"));
        assertEquals(stream ? Boolean.TRUE : null, span.attribute("gen_ai.request.stream"));
        assertEquals("UNSET", span.statusCode());
        assertNull(span.attribute("error.type"));
    }

    private static void assertFullUsage(ReceivedSpan span) {
        assertEquals((long) PROMPT_TOKENS, span.attribute("gen_ai.usage.input_tokens"));
        assertEquals((long) CACHED_TOKENS, span.attribute("gen_ai.usage.cache_read.input_tokens"));
        assertEquals((long) (CANDIDATES_TOKENS + THOUGHTS_TOKENS), span.attribute("gen_ai.usage.output_tokens"));
        assertEquals((long) THOUGHTS_TOKENS, span.attribute("gen_ai.usage.reasoning.output_tokens"));
        assertCost(span, FULL_USAGE_COST);
    }

    private static void assertError(ReceivedSpan span, String model, String errorType, long status) {
        assertEquals("generate_content " + model, span.name());
        assertFailedCall(span, errorType, status);
    }
}
