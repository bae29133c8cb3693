package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static dev.llmlens.smoke.harness.SmokeRun.TIMEOUT;
import static dev.llmlens.smoke.harness.SmokeRun.count;
import static dev.llmlens.smoke.harness.SmokeRun.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.app.GoogleGenAiScenarios;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.GoogleGenAiExpectations;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.harness.SdkClasspath;
import dev.llmlens.smoke.harness.SmokeRun;
import dev.llmlens.smoke.mock.MockGeminiServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged agent jar attached with -javaagent to a sample app on the real google-genai SDK (the
 * newest and the oldest supported version), against the local mock Gemini API and a real OTLP/HTTP
 * receiver.
 */
class GoogleGenAiAgentIT {

    private static final int ROUND_TRIPS = GoogleGenAiScenarios.SCENARIOS.values().stream().mapToInt(Integer::intValue).sum();
    private static final int TOOL_LOOPS = (int) GoogleGenAiScenarios.SCENARIOS.keySet().stream().filter(s -> s.startsWith("afc-")).count();
    /** Each tool loop adds its invoke_agent span and one execute_tool span. */
    private static final int SPANS = ROUND_TRIPS + 2 * TOOL_LOOPS;
    private static final String MODEL = GoogleGenAiScenarios.MODEL;

    private static final MockGeminiServer mock = new MockGeminiServer().start();
    @RegisterExtension
    static final SmokeRun run = new SmokeRun(mock, mock.baseUrl(), GoogleGenAiScenarios.class, "smoke-app");
    private static final OtlpReceiver otlp = run.otlp();

    @BeforeAll
    static void recordBaseline() throws Exception {
        AppProcess baseline = run.recordBaseline(GoogleGenAiScenarios.SCENARIOS.size() + 1);
        assertTrue(baseline.stdout().stream().noneMatch(l -> l.contains("failed with") && !l.startsWith("error-")),
                "only the error scenarios fail:\n" + baseline.describe());
    }

    @Test
    void newestSdk() throws Exception {
        runAllScenariosAndCheck(appClasspath(), setting("google-genai.version"));
    }

    @Test
    void oldestSupportedSdk() throws Exception {
        String oldest = setting("google-genai.oldest.version");
        String newestJar = "google-genai-" + setting("google-genai.version") + ".jar";
        String classpath = SdkClasspath.oldest("google-genai", newestJar::equals);
        assertTrue(classpath.contains("google-genai-" + oldest + ".jar"), classpath);
        runAllScenariosAndCheck(classpath, oldest);
    }

    private void runAllScenariosAndCheck(String classpath, String sdkVersion) throws Exception {
        int metricsPort = SmokeRun.freePort();
        try (AppProcess app = run.start(run.agentArgs(metricsPort), classpath)) {
            app.awaitScenariosDone(TIMEOUT);
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= SPANS, TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            assertEquals(0, app.stop(TIMEOUT));

            assertEquals(run.baselineOutput(), app.stdout(), "the app's output is the same with the agent");
            assertEquals(ROUND_TRIPS, mock.requestCount(), "one HTTP round trip per inference span");
            assertEquals(SPANS, otlp.spans().size(), "no span more:\n" + OtlpReceiver.tree(otlp.spans()));
            GoogleGenAiExpectations.assertScenarioSpans(spans, mock.port());
            assertMetrics(metrics);
            SmokeRun.assertAgentLog(app, "google-genai", sdkVersion);
            assertEquals(0, count(app.stderr(), "met something it did not expect"), app.describe());
        }
    }

    private void assertMetrics(PrometheusText metrics) {
        Map<String, String> gemini = Map.of("gen_ai_operation_name", "generate_content", "gen_ai_provider_name", "gcp.gemini",
                "gen_ai_request_model", MODEL, "gen_ai_response_model", MODEL,
                "server_address", "127.0.0.1", "server_port", Integer.toString(mock.port()));
        // 8 full answers (sync, options, async, 2 chat turns, 3 streams), the closed stream, 3 loops × 2 round trips
        assertEquals(15, metrics.value("gen_ai_client_operation_duration_seconds_count", with(gemini, "error_type", "")));
        assertEquals(4, metrics.value("gen_ai_client_operation_time_to_first_chunk_seconds_count", gemini));
        assertEquals(1, metrics.value("gen_ai_client_operation_duration_seconds_count",
                Map.of("gen_ai_request_model", "mock-429", "error_type", "com.google.genai.errors.ClientException")));
        assertEquals(1, metrics.value("gen_ai_client_operation_duration_seconds_count",
                Map.of("gen_ai_request_model", "mock-500", "error_type", "com.google.genai.errors.ServerException")));

        Map<String, String> geminiTokens = Map.of("gen_ai_provider_name", "gcp.gemini", "gen_ai_request_model", MODEL,
                "gen_ai_response_model", MODEL);
        int loops = 3;
        double input = 8 * MockGeminiServer.PROMPT_TOKENS + MockGeminiServer.PROMPT_TOKENS
                + loops * (MockGeminiServer.CALL_PROMPT_TOKENS + MockGeminiServer.FINAL_PROMPT_TOKENS);
        double output = 8 * (MockGeminiServer.CANDIDATES_TOKENS + MockGeminiServer.THOUGHTS_TOKENS)
                + loops * (MockGeminiServer.CALL_CANDIDATES_TOKENS + MockGeminiServer.FINAL_CANDIDATES_TOKENS);
        assertEquals(input, metrics.value("llmlens_tokens_total", with(geminiTokens, "gen_ai_token_type", "input")));
        assertEquals(output, metrics.value("llmlens_tokens_total", with(geminiTokens, "gen_ai_token_type", "output")));
        assertEquals(8 * MockGeminiServer.CACHED_TOKENS,
                metrics.value("llmlens_tokens_total", with(geminiTokens, "gen_ai_token_type", "cache_read")));
        assertEquals(8 * MockGeminiServer.THOUGHTS_TOKENS,
                metrics.value("llmlens_tokens_total", with(geminiTokens, "gen_ai_token_type", "reasoning")));
        assertEquals(8 * GoogleGenAiExpectations.FULL_USAGE_COST + GoogleGenAiExpectations.CLOSED_EARLY_COST
                        + loops * (GoogleGenAiExpectations.CALL_COST + GoogleGenAiExpectations.FINAL_COST),
                metrics.value("llmlens_cost_usd_total", geminiTokens), 1e-12);

        Map<String, String> vertex = Map.of("gen_ai_provider_name", "gcp.vertex_ai", "gen_ai_request_model", MODEL);
        assertEquals(MockGeminiServer.PROMPT_TOKENS, metrics.value("llmlens_tokens_total", with(vertex, "gen_ai_token_type", "input")));
        assertEquals(GoogleGenAiExpectations.FULL_USAGE_COST, metrics.value("llmlens_cost_usd_total", vertex), 1e-12);
        assertEquals(GoogleGenAiExpectations.VERTEX_EMBEDDING_COST, metrics.value("llmlens_cost_usd_total",
                Map.of("gen_ai_provider_name", "gcp.vertex_ai", "gen_ai_request_model", GoogleGenAiScenarios.EMBEDDING_MODEL)), 1e-15);
        // Gemini API embeddings report no usage: no tokens, no cost, and not "unpriced" either
        assertEquals(1, metrics.value("gen_ai_client_operation_duration_seconds_count", Map.of("gen_ai_operation_name", "embeddings",
                "gen_ai_provider_name", "gcp.gemini")));
        assertEquals(0, metrics.sum("llmlens_tokens_total", Map.of("gen_ai_provider_name", "gcp.gemini",
                "gen_ai_request_model", GoogleGenAiScenarios.EMBEDDING_MODEL)));
        assertEquals(0, metrics.sum("llmlens_unpriced_calls_total", Map.of()));

        assertEquals(2, metrics.value("llmlens_tool_calls_total", Map.of("gen_ai_tool_name", "getWeather", "error_type", "")));
        assertEquals(1, metrics.value("llmlens_tool_calls_total",
                Map.of("gen_ai_tool_name", "failingLookup", "error_type", "java.lang.IllegalStateException")));
        assertEquals(loops, metrics.value("llmlens_agent_runs_total",
                Map.of("gen_ai_agent_name", "AutomaticFunctionCalling", "error_type", "")));
        assertEquals(0, metrics.sum("llmlens_active_calls", Map.of()), "every call has ended");
        assertEquals(0, metrics.sum("llmlens_agent_errors_total", Map.of()), "the agent met nothing unexpected");
    }
}
