package dev.llmlens.smoke.harness;

import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertCost;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertExceptionEvent;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertFailedCall;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertTimeToFirstChunk;
import static dev.llmlens.smoke.harness.SmokeRun.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.mock.MockAnthropicServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Anthropic sample app must produce, scenario by scenario (see AnthropicScenarios): one
 * inference span per HTTP round trip (except the call the SDK traces itself), the tool runner's
 * iterations as invoke_agent trees, and the metrics and costs the mock's fixed usage implies.
 */
public final class AnthropicExpectations {

    private static final long INPUT = MockAnthropicServer.TOTAL_INPUT_TOKENS;
    private static final long CACHE_READ = MockAnthropicServer.CACHE_READ_TOKENS;
    private static final long CACHE_WRITE = MockAnthropicServer.CACHE_WRITE_TOKENS;
    private static final long UNCACHED = MockAnthropicServer.INPUT_TOKENS;
    private static final long OUTPUT = MockAnthropicServer.OUTPUT_TOKENS;

    // USD per 1M tokens from the bundled price table (input, cache read, cache write, output)
    /** claude-sonnet-4-5: 20 × 3.00 + 100 × 0.30 + 30 × 3.75 + 15 × 15.00 = 427.5 per 1M → 4.275e-4 USD. */
    public static final double SONNET_COST = (UNCACHED * 3.00 + CACHE_READ * 0.30 + CACHE_WRITE * 3.75 + OUTPUT * 15.00) / 1e6;
    /** claude-haiku-4-5: 20 × 1.00 + 100 × 0.10 + 30 × 1.25 + 15 × 5.00 = 142.5 per 1M → 1.425e-4 USD. */
    public static final double HAIKU_COST = (UNCACHED * 1.00 + CACHE_READ * 0.10 + CACHE_WRITE * 1.25 + OUTPUT * 5.00) / 1e6;
    /** claude-3-5-haiku, closed after message_start (output 1): 20 × 0.80 + 100 × 0.08 + 30 × 1.00 + 1 × 4.00 → 5.8e-5 USD. */
    public static final double OLD_HAIKU_EARLY_CLOSE_COST = (UNCACHED * 0.80 + CACHE_READ * 0.08 + CACHE_WRITE * 1.00 + 4.00) / 1e6;

    public static final String SONNET = "claude-sonnet-4-5";
    public static final String HAIKU = "claude-haiku-4-5";
    public static final String OLD_HAIKU = "claude-3-5-haiku";
    public static final String WEATHER_TOOL = "get_weather";
    public static final String FAILING_TOOL = "look_up_stock";

    private static final long MILLISECOND = 1_000_000;

    private final int mockPort;
    private final boolean sdkTracesItself;

    /** @param sdkTracesItself the SDK version emits its own span for the sdk-traced scenario (3.x) */
    public AnthropicExpectations(int mockPort, boolean sdkTracesItself) {
        this.mockPort = mockPort;
        this.sdkTracesItself = sdkTracesItself;
    }

    /** 17 HTTP requests; the SDK traces one itself on 3.x; plus 3 runs and 3 tool calls. */
    public int spanCount() {
        return inferenceSpanCount(17) + 6;
    }

    private int inferenceSpanCount(int httpRequests) {
        return sdkTracesItself ? httpRequests - 1 : httpRequests;
    }

    public void assertSpans(List<ReceivedSpan> received, int httpRequests) {
        List<ReceivedSpan> spans = received.stream().sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
        String tree = OtlpReceiver.tree(spans);
        List<ReceivedSpan> inference = spans.stream().filter(s -> "chat".equals(s.attribute("gen_ai.operation.name"))).toList();
        assertEquals(inferenceSpanCount(httpRequests), inference.size(), "one inference span per HTTP round trip:\n" + tree);
        assertEquals(spanCount(), spans.size(), tree);

        List<ReceivedSpan> roots = spans.stream().filter(s -> s.parentSpanId().isEmpty()).toList();
        List<String> rootNames = roots.stream().map(ReceivedSpan::name).toList();
        List<String> expectedRoots = new ArrayList<>(List.of("chat claude-sonnet-4-5", "chat claude-haiku-4-5",
                "chat claude-sonnet-4-5", "chat claude-3-5-haiku", "chat claude-sonnet-4-5", "chat claude-haiku-4-5",
                "chat claude-sonnet-4-5", "chat mock-429", "chat mock-500", "chat mock-broken-stream"));
        if (!sdkTracesItself) {
            expectedRoots.add("chat claude-sonnet-4-5");
        }
        expectedRoots.addAll(List.of("invoke_agent BetaToolRunner", "invoke_agent BetaToolRunner", "invoke_agent BetaToolRunner"));
        assertEquals(expectedRoots, rootNames, tree);

        try {
            assertChat(roots.get(0), SONNET, "msg_mock_1", false, SONNET_COST);
            assertEquals(512L, roots.get(0).attribute("gen_ai.request.max_tokens"));
            assertEquals(0.2, roots.get(0).attribute("gen_ai.request.temperature"));
            assertEquals(0.9, roots.get(0).attribute("gen_ai.request.top_p"));
            assertEquals(List.of("END"), roots.get(0).attribute("gen_ai.request.stop_sequences"));
            assertChat(roots.get(1), HAIKU, "msg_mock_2", false, HAIKU_COST);
            assertChat(roots.get(2), SONNET, "msg_mock_3", true, SONNET_COST);
            assertClosedEarly(roots.get(3));
            assertChat(roots.get(4), SONNET, "msg_mock_5", true, SONNET_COST);
            assertChat(roots.get(5), HAIKU, "msg_mock_6", false, HAIKU_COST);
            assertChat(roots.get(6), SONNET, "msg_mock_7", true, SONNET_COST);
            assertError(roots.get(7), "mock-429", "com.anthropic.errors.RateLimitException", 429L);
            assertError(roots.get(8), "mock-500", "com.anthropic.errors.InternalServerException", 500L);
            assertBrokenStream(roots.get(9));
            int next = 10;
            if (!sdkTracesItself) {
                assertChat(roots.get(next++), SONNET, "msg_mock_11", false, SONNET_COST);
            }
            assertToolRun(spans, roots.get(next++), WEATHER_TOOL, 12, false, false);
            assertToolRun(spans, roots.get(next++), FAILING_TOOL, 14, false, true);
            assertToolRun(spans, roots.get(next), WEATHER_TOOL, 16, true, false);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + tree + "\n" + spans, e);
        }
    }

    private void assertCommon(ReceivedSpan span, String requestModel) {
        assertEquals("chat " + requestModel, span.name());
        assertEquals("CLIENT", span.kind());
        assertEquals("llm-lens", span.scopeName());
        assertEquals("chat", span.attribute("gen_ai.operation.name"));
        assertEquals("anthropic", span.attribute("gen_ai.provider.name"));
        assertEquals(requestModel, span.attribute("gen_ai.request.model"));
        assertEquals("127.0.0.1", span.attribute("server.address"));
        assertEquals((long) mockPort, span.attribute("server.port"));
        assertEquals(512L, span.attribute("gen_ai.request.max_tokens"));
    }

    private void assertChat(ReceivedSpan span, String requestModel, String responseId, boolean stream, double cost) {
        assertChat(span, requestModel, responseId, stream, cost, "end_turn");
    }

    private void assertChat(ReceivedSpan span, String requestModel, String responseId, boolean stream, double cost,
                            String finishReason) {
        assertCommon(span, requestModel);
        assertEquals(MockAnthropicServer.responseModel(requestModel), span.attribute("gen_ai.response.model"));
        assertEquals(responseId, span.attribute("gen_ai.response.id"));
        assertEquals(List.of(finishReason), span.attribute("gen_ai.response.finish_reasons"));
        assertEquals(INPUT, span.attribute("gen_ai.usage.input_tokens"), "input includes cache read and write");
        assertEquals(CACHE_READ, span.attribute("gen_ai.usage.cache_read.input_tokens"));
        assertEquals(CACHE_WRITE, span.attribute("gen_ai.usage.cache_write.input_tokens"));
        assertEquals(OUTPUT, span.attribute("gen_ai.usage.output_tokens"));
        assertCost(span, cost);
        assertEquals("UNSET", span.statusCode());
        assertNull(span.attribute("error.type"));
        assertNull(span.attribute("llmlens.response.incomplete"));
        if (stream) {
            assertEquals(true, span.attribute("gen_ai.request.stream"));
            assertTimeToFirstChunk(span);
        } else {
            assertNull(span.attribute("gen_ai.request.stream"));
            assertNull(span.attribute("gen_ai.response.time_to_first_chunk"));
        }
    }

    /** Two events read (message_start, content_block_start), then closed: incomplete, not an error. */
    private void assertClosedEarly(ReceivedSpan span) {
        assertCommon(span, OLD_HAIKU);
        assertEquals(true, span.attribute("llmlens.response.incomplete"));
        assertEquals("UNSET", span.statusCode());
        assertNull(span.attribute("error.type"));
        assertEquals("msg_mock_4", span.attribute("gen_ai.response.id"));
        assertNull(span.attribute("gen_ai.response.finish_reasons"), "the stop reason never arrived");
        assertEquals(INPUT, span.attribute("gen_ai.usage.input_tokens"), "message_start's usage is kept");
        assertEquals(1L, span.attribute("gen_ai.usage.output_tokens"));
        assertCost(span, OLD_HAIKU_EARLY_CLOSE_COST);
        assertTimeToFirstChunk(span);
    }

    private void assertError(ReceivedSpan span, String model, String errorType, long status) {
        assertCommon(span, model);
        assertFailedCall(span, errorType, status);
        for (String key : span.attributes().keySet()) {
            assertTrue(!key.startsWith("gen_ai.response."), key + " on a failed call");
        }
    }

    /** message_start arrived, then the connection dropped: an error, with what was seen. */
    private void assertBrokenStream(ReceivedSpan span) {
        assertCommon(span, MockAnthropicServer.MODEL_BROKEN_STREAM);
        assertEquals("ERROR", span.statusCode());
        assertEquals("com.anthropic.errors.AnthropicIoException", span.attribute("error.type"));
        assertEquals("msg_mock_10", span.attribute("gen_ai.response.id"));
        assertEquals(true, span.attribute("gen_ai.request.stream"));
        assertNull(span.attribute("llmlens.response.incomplete"));
        assertExceptionEvent(span, "com.anthropic.errors.AnthropicIoException");
    }

    /**
     * invoke_agent BetaToolRunner with, in order: the model asking for the tool, the tool, the
     * model's final answer — all children of the run.
     */
    private void assertToolRun(List<ReceivedSpan> spans, ReceivedSpan run, String tool, int firstRequest,
                               boolean streaming, boolean toolFails) {
        assertEquals("INTERNAL", run.kind());
        assertEquals("invoke_agent", run.attribute("gen_ai.operation.name"));
        assertEquals("BetaToolRunner", run.attribute("gen_ai.agent.name"));
        assertEquals(SONNET, run.attribute("gen_ai.request.model"));
        assertEquals("com.anthropic.helpers.BetaToolRunner." + (streaming ? "streaming" : "iterator"),
                run.attribute("code.function.name"));
        assertEquals(2L, run.attribute("llmlens.run.model_calls"));
        assertEquals(1L, run.attribute("llmlens.run.tool_calls"));
        assertEquals(2 * INPUT, run.attribute("llmlens.run.input_tokens"));
        assertEquals(2 * OUTPUT, run.attribute("llmlens.run.output_tokens"));
        assertEquals(2 * SONNET_COST, (Double) run.attribute("llmlens.run.cost_usd"), 1e-12);
        assertNull(run.attribute("gen_ai.usage.input_tokens"), "run totals never as gen_ai.usage.*");
        assertEquals("UNSET", run.statusCode());

        List<ReceivedSpan> children = spans.stream().filter(s -> s.parentSpanId().equals(run.spanId())).toList();
        assertEquals(List.of("chat claude-sonnet-4-5", "execute_tool " + tool, "chat claude-sonnet-4-5"),
                children.stream().map(ReceivedSpan::name).toList());
        for (ReceivedSpan child : children) {
            assertEquals(run.traceId(), child.traceId());
            // start times are taken in whole milliseconds (durations in nanoseconds): allow that much
            assertTrue(child.startEpochNanos() >= run.startEpochNanos()
                    && child.endEpochNanos() <= run.endEpochNanos() + MILLISECOND, child.name() + " lies within the run");
        }
        assertChat(children.get(0), SONNET, "msg_mock_" + firstRequest, streaming, SONNET_COST, "tool_use");
        assertChat(children.get(2), SONNET, "msg_mock_" + (firstRequest + 1), streaming, SONNET_COST, "end_turn");

        ReceivedSpan toolSpan = children.get(1);
        assertEquals("INTERNAL", toolSpan.kind());
        assertEquals("execute_tool", toolSpan.attribute("gen_ai.operation.name"));
        assertEquals(tool, toolSpan.attribute("gen_ai.tool.name"));
        assertEquals("function", toolSpan.attribute("gen_ai.tool.type"));
        assertEquals("toolu_mock_" + firstRequest, toolSpan.attribute("gen_ai.tool.call.id"));
        assertEquals("BetaToolRunner", toolSpan.attribute("gen_ai.agent.name"));
        assertTrue(toolSpan.startEpochNanos() + MILLISECOND >= children.get(0).endEpochNanos(), "the tool runs after the model asked");
        if (toolFails) {
            assertEquals("ERROR", toolSpan.statusCode());
            assertEquals("java.lang.IllegalStateException", toolSpan.attribute("error.type"));
            assertExceptionEvent(toolSpan, "java.lang.IllegalStateException");
        } else {
            assertEquals("UNSET", toolSpan.statusCode());
            assertNull(toolSpan.attribute("error.type"));
        }
    }

    /**
     * Metrics count every call, the one the SDK traces itself included: sonnet 11 calls with full
     * usage (sync, 3 streams, sdk-traced, 6 tool-runner round trips), haiku 4.5 two, 3.5 haiku the
     * early-closed stream.
     */
    public void assertMetrics(PrometheusText metrics) {
        Map<String, String> sonnet = tokens(SONNET);
        assertEquals(11 * INPUT, metrics.value("llmlens_tokens_total", with(sonnet, "gen_ai_token_type", "input")));
        assertEquals(11 * CACHE_READ, metrics.value("llmlens_tokens_total", with(sonnet, "gen_ai_token_type", "cache_read")));
        assertEquals(11 * CACHE_WRITE, metrics.value("llmlens_tokens_total", with(sonnet, "gen_ai_token_type", "cache_write")));
        assertEquals(11 * OUTPUT, metrics.value("llmlens_tokens_total", with(sonnet, "gen_ai_token_type", "output")));
        assertEquals(11 * SONNET_COST, metrics.value("llmlens_cost_usd_total", sonnet), 1e-12);
        Map<String, String> haiku = tokens(HAIKU);
        assertEquals(2 * INPUT, metrics.value("llmlens_tokens_total", with(haiku, "gen_ai_token_type", "input")));
        assertEquals(2 * CACHE_WRITE, metrics.value("llmlens_tokens_total", with(haiku, "gen_ai_token_type", "cache_write")));
        assertEquals(2 * HAIKU_COST, metrics.value("llmlens_cost_usd_total", haiku), 1e-12);
        Map<String, String> oldHaiku = tokens(OLD_HAIKU);
        assertEquals(INPUT, metrics.value("llmlens_tokens_total", with(oldHaiku, "gen_ai_token_type", "input")));
        assertEquals(1, metrics.value("llmlens_tokens_total", with(oldHaiku, "gen_ai_token_type", "output")));
        assertEquals(OLD_HAIKU_EARLY_CLOSE_COST, metrics.value("llmlens_cost_usd_total", oldHaiku), 1e-12);

        Map<String, String> sonnetChat = new HashMap<>(sonnet);
        sonnetChat.putAll(Map.of("gen_ai_operation_name", "chat", "server_address", "127.0.0.1",
                "server_port", Integer.toString(mockPort)));
        assertEquals(11, metrics.value("gen_ai_client_operation_duration_seconds_count", with(sonnetChat, "error_type", "")));
        assertEquals(11, metrics.value("gen_ai_client_token_usage_count", with(sonnetChat, "gen_ai_token_type", "input")));
        assertEquals(11 * INPUT, metrics.value("gen_ai_client_token_usage_sum", with(sonnetChat, "gen_ai_token_type", "input")));
        // messages-stream, messages-stream-async, beta-messages-stream and the streaming runner's two rounds
        assertEquals(5, metrics.value("gen_ai_client_operation_time_to_first_chunk_seconds_count", sonnetChat));
        for (String[] error : new String[][] {{"mock-429", "com.anthropic.errors.RateLimitException"},
                {"mock-500", "com.anthropic.errors.InternalServerException"},
                {"mock-broken-stream", "com.anthropic.errors.AnthropicIoException"}}) {
            assertEquals(1, metrics.value("gen_ai_client_operation_duration_seconds_count",
                    Map.of("gen_ai_provider_name", "anthropic", "gen_ai_request_model", error[0], "error_type", error[1])));
        }

        assertEquals(3, metrics.value("llmlens_agent_runs_total", Map.of("gen_ai_agent_name", "BetaToolRunner", "error_type", "")));
        assertEquals(3 * 2 * SONNET_COST, metrics.value("llmlens_agent_run_cost_usd_sum", Map.of("gen_ai_agent_name", "BetaToolRunner")), 1e-12);
        assertEquals(2, metrics.value("llmlens_tool_calls_total", Map.of("gen_ai_tool_name", WEATHER_TOOL, "error_type", "")));
        assertEquals(1, metrics.value("llmlens_tool_calls_total",
                Map.of("gen_ai_tool_name", FAILING_TOOL, "error_type", "java.lang.IllegalStateException")));
        assertEquals(0, metrics.sum("llmlens_active_calls", Map.of()), "every call has ended");
        assertEquals(0, metrics.sum("llmlens_agent_errors_total", Map.of()), "the agent met nothing unexpected");
    }

    private static Map<String, String> tokens(String requestModel) {
        return Map.of("gen_ai_provider_name", "anthropic", "gen_ai_request_model", requestModel,
                "gen_ai_response_model", MockAnthropicServer.responseModel(requestModel));
    }
}
