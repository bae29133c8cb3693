package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertCost;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertFailedCall;
import static dev.llmlens.smoke.harness.GenAiSpanAssertions.assertTimeToFirstChunk;
import static dev.llmlens.smoke.harness.SmokeRun.TIMEOUT;
import static dev.llmlens.smoke.harness.SmokeRun.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.app.BedrockScenarios;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.harness.SdkClasspath;
import dev.llmlens.smoke.harness.SmokeRun;
import dev.llmlens.smoke.mock.MockBedrockServer;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import java.io.File;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged agent on a sample app using the real AWS SDK Bedrock Runtime clients (sync on
 * UrlConnection, async on Netty), in its own JVM, against the local Bedrock mock and an OTLP receiver:
 * once with the newest SDK and once with the oldest supported one.
 */
class BedrockAgentIT {

    private static final List<String> CALLS = BedrockScenarios.SCENARIOS;

    // USD per 1M tokens from the bundled price table (in-region/geo Claude 4.5 = global + 10 %)
    /** us. Sonnet 4.5: 25 × 3.30 + 100 × 0.33 + 40 × 4.125 + 17 × 16.50 = 561 → 5.61e-4. */
    static final double SONNET_CONVERSE_COST = 5.61e-4;
    /** The oldest SDK does not parse Converse cache counts: 25 × 3.30 + 17 × 16.50 = 363 → 3.63e-4. */
    static final double SONNET_CONVERSE_COST_WITHOUT_CACHE = 3.63e-4;
    /** us. Nova Pro: 20 × 0.80 + 6 × 3.20 = 35.2 → 3.52e-5. */
    static final double NOVA_COST = 3.52e-5;
    /** global. Haiku 4.5: 12 × 1.00 + 200 × 0.10 + 30 × 1.25 + 9 × 5.00 = 114.5 → 1.145e-4. */
    static final double HAIKU_INVOKE_COST = 1.145e-4;
    /** Titan Embeddings v2: 7 × 0.02 = 0.14 → 1.4e-7. */
    static final double TITAN_EMBED_COST = 1.4e-7;
    /** Llama 3.3 70B: (14 + 3) × 0.72 = 12.24 → 1.224e-5. */
    static final double LLAMA_COST = 1.224e-5;
    /** Mistral Large 2407: 19 × 2.00 + 4 × 6.00 = 62 → 6.2e-5. */
    static final double MISTRAL_COST = 6.2e-5;
    /** us. Sonnet 4.5 stream: 11 × 3.30 + 9 × 16.50 = 184.8 → 1.848e-4. */
    static final double SONNET_STREAM_COST = 1.848e-4;

    private static final MockBedrockServer mock = new MockBedrockServer().start();
    @RegisterExtension
    static final SmokeRun run = new SmokeRun(mock, mock.endpoint(), BedrockScenarios.class, "bedrock-app");
    private static final OtlpReceiver otlp = run.otlp();

    @BeforeAll
    static void recordBaseline() throws Exception {
        run.recordBaseline(CALLS.size() + 1);
    }

    @Test
    void newestSdk() throws Exception {
        runAndCheck(appClasspath(), true);
    }

    @Test
    void oldestSupportedSdk() throws Exception {
        String awsSdk = File.separator + "software" + File.separator + "amazon" + File.separator + "awssdk" + File.separator;
        String classpath = SdkClasspath.oldestWhole("bedrock", entry -> entry.contains(awsSdk));
        assertTrue(classpath.contains("bedrockruntime-" + setting("bedrock.oldest.version") + ".jar"), classpath);
        assertTrue(!classpath.contains("bedrockruntime-" + setting("bedrock.version") + ".jar"), classpath);
        runAndCheck(classpath, false);
    }

    private void runAndCheck(String classpath, boolean newest) throws Exception {
        int metricsPort = SmokeRun.freePort();
        try (AppProcess app = run.start(run.agentArgs(metricsPort), classpath)) {
            app.awaitScenariosDone(TIMEOUT);
            otlp.awaitSpans(s -> s.size() >= CALLS.size(), TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            assertEquals(0, app.stop(TIMEOUT));

            assertEquals(run.baselineOutput(), app.stdout(), "the app's output is the same with the agent");
            assertEquals(CALLS.size(), mock.requestCount(), "one HTTP round trip per model call, retries off");
            List<ReceivedSpan> spans = otlp.spans().stream().sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
            assertEquals(CALLS.size(), spans.size(), "one span per model call: " + spans.stream().map(ReceivedSpan::name).toList());
            for (int i = 0; i < CALLS.size(); i++) {
                try {
                    assertSpan(CALLS.get(i), spans.get(i), newest);
                } catch (AssertionError e) {
                    throw new AssertionError("scenario " + CALLS.get(i) + ", span " + spans.get(i) + ": " + e.getMessage(), e);
                }
            }
            assertMetrics(metrics, newest);
            SmokeRun.assertAgentLog(app, "aws-bedrock-runtime", newest ? setting("bedrock.version") : setting("bedrock.oldest.version"));
        }
    }

    private void assertSpan(String scenario, ReceivedSpan span, boolean newest) {
        assertEquals("CLIENT", span.kind());
        assertEquals("", span.parentSpanId());
        assertEquals("aws.bedrock", span.attribute("gen_ai.provider.name"));
        assertEquals("127.0.0.1", span.attribute("server.address"));
        assertEquals((long) mock.port(), span.attribute("server.port"));
        assertNull(span.attribute("gen_ai.response.model"), "Bedrock names no response model");
        switch (scenario) {
            case "converse-sync", "converse-stream" -> {
                assertCall(span, "chat", BedrockScenarios.SONNET, "end_turn");
                if (newest) {
                    assertUsage(span, 165, 17, 100L, 40L, SONNET_CONVERSE_COST);
                } else {
                    assertUsage(span, 25, 17, null, null, SONNET_CONVERSE_COST_WITHOUT_CACHE);
                }
                assertNull(span.attribute("gen_ai.response.id"), "Bedrock has no response id");
                if (scenario.equals("converse-sync")) {
                    assertEquals(200L, span.attribute("gen_ai.request.max_tokens"));
                    assertEquals(0.3, span.attribute("gen_ai.request.temperature"));
                    assertEquals(0.9, span.attribute("gen_ai.request.top_p"));
                    assertNull(span.attribute("gen_ai.request.stream"));
                } else {
                    assertStream(span);
                }
            }
            case "converse-async" -> {
                assertCall(span, "chat", BedrockScenarios.NOVA, "end_turn");
                assertUsage(span, 20, 6, null, null, NOVA_COST);
            }
            case "invoke-anthropic" -> {
                assertCall(span, "chat", BedrockScenarios.HAIKU, "end_turn");
                assertUsage(span, 242, 9, 200L, 30L, HAIKU_INVOKE_COST);
                assertEquals("msg_bdrk_01MockAnthropic", span.attribute("gen_ai.response.id"));
                assertEquals("gr-mock1", span.attribute("aws.bedrock.guardrail.id"));
                assertEquals("2", span.attribute("aws.bedrock.guardrail.version"));
                assertEquals(300L, span.attribute("gen_ai.request.max_tokens"));
            }
            case "invoke-titan-embed" -> {
                assertEquals("embeddings " + BedrockScenarios.TITAN_EMBED, span.name());
                assertEquals(7L, span.attribute("gen_ai.usage.input_tokens"));
                assertNull(span.attribute("gen_ai.usage.output_tokens"));
                assertEquals(256L, span.attribute("gen_ai.embeddings.dimension.count"));
                assertCost(span, TITAN_EMBED_COST);
            }
            case "invoke-llama-async" -> {
                assertCall(span, "text_completion", BedrockScenarios.LLAMA, "stop");
                assertUsage(span, 14, 3, null, null, LLAMA_COST);
                assertEquals(128L, span.attribute("gen_ai.request.max_tokens"));
                assertEquals(0.5, span.attribute("gen_ai.request.temperature"));
            }
            case "invoke-mistral" -> {
                assertCall(span, "text_completion", BedrockScenarios.MISTRAL, "stop");
                assertUsage(span, 19, 4, null, null, MISTRAL_COST);
            }
            case "invoke-stream-anthropic" -> {
                assertCall(span, "chat", BedrockScenarios.SONNET, "end_turn");
                assertUsage(span, 11, 9, 0L, 0L, SONNET_STREAM_COST);
                assertEquals("msg_bdrk_01MockStream", span.attribute("gen_ai.response.id"));
                assertStream(span);
            }
            case "error-429" -> assertError(span, "chat mock-429", "software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException", 429);
            case "error-500" -> assertError(span, "text_completion mock-500", "software.amazon.awssdk.services.bedrockruntime.model.InternalServerException", 500);
            default -> throw new AssertionError("no expectation for " + scenario);
        }
    }

    private static void assertCall(ReceivedSpan span, String operation, String model, String finishReason) {
        assertEquals(operation + " " + model, span.name());
        assertEquals(operation, span.attribute("gen_ai.operation.name"));
        assertEquals(model, span.attribute("gen_ai.request.model"));
        assertEquals(List.of(finishReason), span.attribute("gen_ai.response.finish_reasons"));
        assertEquals("UNSET", span.statusCode());
        assertNull(span.attribute("error.type"));
    }

    private static void assertUsage(ReceivedSpan span, long input, long output, Long cacheRead, Long cacheWrite, double cost) {
        assertEquals(input, span.attribute("gen_ai.usage.input_tokens"));
        assertEquals(output, span.attribute("gen_ai.usage.output_tokens"));
        assertEquals(cacheRead, span.attribute("gen_ai.usage.cache_read.input_tokens"));
        assertEquals(cacheWrite, span.attribute("gen_ai.usage.cache_write.input_tokens"));
        assertCost(span, cost);
    }

    private static void assertStream(ReceivedSpan span) {
        assertEquals(true, span.attribute("gen_ai.request.stream"));
        assertNull(span.attribute("llmlens.response.incomplete"));
        assertTimeToFirstChunk(span);
    }

    private static void assertError(ReceivedSpan span, String name, String errorType, long status) {
        assertEquals(name, span.name());
        assertFailedCall(span, errorType, status);
    }

    private void assertMetrics(PrometheusText metrics, boolean newest) {
        Map<String, String> sonnet = Map.of("gen_ai_provider_name", "aws.bedrock", "gen_ai_request_model", BedrockScenarios.SONNET);
        // converse-sync, converse-stream and invoke-stream-anthropic
        assertEquals(3, metrics.sum("gen_ai_client_operation_duration_seconds_count", with(sonnet, "error_type", "")));
        assertEquals(2, metrics.sum("gen_ai_client_operation_time_to_first_chunk_seconds_count", sonnet));
        assertEquals(newest ? 2 * 165 + 11 : 2 * 25 + 11, metrics.sum("llmlens_tokens_total", with(sonnet, "gen_ai_token_type", "input")));
        assertEquals(2 * 17 + 9, metrics.sum("llmlens_tokens_total", with(sonnet, "gen_ai_token_type", "output")));
        assertEquals(newest ? 200 : 0, metrics.sum("llmlens_tokens_total", with(sonnet, "gen_ai_token_type", "cache_read")));
        assertEquals(newest ? 80 : 0, metrics.sum("llmlens_tokens_total", with(sonnet, "gen_ai_token_type", "cache_write")));
        assertEquals(2 * (newest ? SONNET_CONVERSE_COST : SONNET_CONVERSE_COST_WITHOUT_CACHE) + SONNET_STREAM_COST,
                metrics.sum("llmlens_cost_usd_total", sonnet), 1e-12);
        Map<String, String> haiku = Map.of("gen_ai_provider_name", "aws.bedrock", "gen_ai_request_model", BedrockScenarios.HAIKU);
        assertEquals(242, metrics.sum("llmlens_tokens_total", with(haiku, "gen_ai_token_type", "input")));
        assertEquals(200, metrics.sum("llmlens_tokens_total", with(haiku, "gen_ai_token_type", "cache_read")));
        assertEquals(30, metrics.sum("llmlens_tokens_total", with(haiku, "gen_ai_token_type", "cache_write")));
        assertEquals(HAIKU_INVOKE_COST, metrics.sum("llmlens_cost_usd_total", haiku), 1e-12);
        assertEquals(NOVA_COST + TITAN_EMBED_COST + LLAMA_COST + MISTRAL_COST,
                metrics.sum("llmlens_cost_usd_total", Map.of("gen_ai_provider_name", "aws.bedrock"))
                        - metrics.sum("llmlens_cost_usd_total", sonnet) - metrics.sum("llmlens_cost_usd_total", haiku), 1e-12);
        assertEquals(1, metrics.sum("gen_ai_client_token_usage_count", Map.of("gen_ai_operation_name", "embeddings",
                "gen_ai_request_model", BedrockScenarios.TITAN_EMBED, "gen_ai_token_type", "input")));
        assertEquals(3, metrics.sum("gen_ai_client_operation_duration_seconds_count", Map.of("gen_ai_operation_name", "text_completion")),
                "llama, mistral and the failed prompt-body call");
        assertEquals(1, metrics.sum("gen_ai_client_operation_duration_seconds_count", Map.of("gen_ai_request_model", "mock-429",
                "error_type", "software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException")));
        assertEquals(0, metrics.sum("llmlens_unpriced_calls_total", Map.of("gen_ai_request_model", BedrockScenarios.SONNET)));
        assertEquals(0, metrics.sum("llmlens_active_calls", Map.of()), "every call has ended");
        assertEquals(0, metrics.sum("llmlens_agent_errors_total", Map.of()), "the agent met nothing unexpected");
    }

}
