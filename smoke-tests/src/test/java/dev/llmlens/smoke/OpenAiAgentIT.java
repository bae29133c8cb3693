package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static dev.llmlens.smoke.harness.SmokeRun.JAVA_17;
import static dev.llmlens.smoke.harness.SmokeRun.TIMEOUT;
import static dev.llmlens.smoke.harness.SmokeRun.count;
import static dev.llmlens.smoke.harness.SmokeRun.elapsedMillis;
import static dev.llmlens.smoke.harness.SmokeRun.isFree;
import static dev.llmlens.smoke.harness.SmokeRun.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlens.smoke.app.OpenAiScenarios;
import dev.llmlens.smoke.boot.BootScenarioApp;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.OpenAiExpectations;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.harness.SdkClasspath;
import dev.llmlens.smoke.harness.SmokeRun;
import dev.llmlens.smoke.mock.MockOpenAiServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged agent jar attached with -javaagent to sample apps on the real openai-java SDK, each
 * in its own JVM, against the local mock OpenAI server and a real OTLP/HTTP receiver.
 */
class OpenAiAgentIT {

    private static final List<String> ALL = List.copyOf(OpenAiScenarios.SCENARIOS.keySet());
    /** The scenarios that make a model call, in order: each must give exactly one span. */
    private static final List<String> CALLS = ALL.stream().filter(s -> OpenAiScenarios.SCENARIOS.get(s) > 0).toList();

    private static final MockOpenAiServer mock = new MockOpenAiServer().start();
    @RegisterExtension
    static final SmokeRun run = new SmokeRun(mock, mock.baseUrl(), OpenAiScenarios.class, "smoke-app");
    private static final OtlpReceiver otlp = run.otlp();
    private static List<String> baselineOutput;
    private static long baselineElapsedMillis;

    @BeforeAll
    static void recordBaseline() throws Exception {
        baselineElapsedMillis = elapsedMillis(run.recordBaseline(ALL.size() + 1));
        baselineOutput = run.baselineOutput();
    }

    @Test
    void newestSdkOnJdk17() throws Exception {
        runAllScenariosAndCheck(JAVA_17, appClasspath(), setting("openai.version"));
    }

    @Test
    void oldestSupportedSdk() throws Exception {
        String oldest = setting("openai.oldest.version");
        String classpath = SdkClasspath.oldest("openai", jar -> jar.startsWith("openai-java-"));
        assertTrue(classpath.contains("openai-java-core-" + oldest + ".jar"), classpath);
        runAllScenariosAndCheck(JAVA_17, classpath, oldest);
    }

    @Test
    void newestSdkOnJdk25() throws Exception {
        runAllScenariosAndCheck(Jdks.java25(), appClasspath(), setting("openai.version"));
    }

    private void runAllScenariosAndCheck(String javaHome, String classpath, String sdkVersion) throws Exception {
        int metricsPort = freePort();
        Path events = Files.createTempDirectory("llmlens-events").resolve("events.jsonl");
        List<String> args = new ArrayList<>(run.agentArgs(metricsPort));
        args.add("-Dllmlens.log.events=" + events);
        try (AppProcess app = run.start(javaHome, args, classpath)) {
            app.awaitScenariosDone(TIMEOUT);
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= CALLS.size(), TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            PrometheusText openMetrics = PrometheusText.scrape(metricsPort, true);
            assertEquals(0, app.stop(TIMEOUT));

            assertEquals(baselineOutput, app.stdout(), "the app's output is the same with the agent");
            assertEquals(CALLS.size(), mock.requestCount(), "one HTTP round trip per model call");
            OpenAiExpectations.assertScenarioSpans(CALLS, otlp.spans(), mock.port());
            assertNoContent(otlp.spans());
            assertTrue(app.stdout().get(0).startsWith("own-libraries: otel span valid=true (1.50.0), prometheus counter=2.0,"
                    + " made by the app's Byte Buddy, java.lang open to the app=false,"
                    + " jdk.internal.misc exported to the app=false"), app.stdout().get(0));
            assertEquals("smoke-app", spans.get(0).resourceAttributes().get("service.name"));
            assertMetrics(metrics, openMetrics, spans);
            assertAgentLog(app, sdkVersion);
            assertEventLines(events, otlp.spans());
        }
    }

    private static final List<String> CONTENT_ATTRIBUTES = List.of("gen_ai.input.messages", "gen_ai.output.messages",
            "gen_ai.system_instructions", "gen_ai.tool.definitions", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result");

    /** Content capture is opt-in: by default no prompt or answer leaves the process. */
    private static void assertNoContent(List<ReceivedSpan> spans) {
        for (ReceivedSpan span : spans) {
            for (String key : CONTENT_ATTRIBUTES) {
                assertEquals(null, span.attribute(key), span.name() + " carries " + key);
            }
        }
    }

    private static final String HELLO_ANSWER = "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\","
            + "\"content\":\"" + MockOpenAiServer.CONTENT + "\"}],\"finish_reason\":\"stop\"}]";
    private static final String TERSE_HELLO = "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":"
            + "\"You are terse.\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Say hello.\"}]}]";
    private static final String WEATHER_QUESTION = "{\"role\":\"user\",\"parts\":[{\"type\":\"text\","
            + "\"content\":\"Weather in Paris?\"}]}";
    private static final String WEATHER_CALL = "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\","
            + "\"id\":\"call_mock_N\",\"name\":\"get_weather\",\"arguments\":{\"city\":\"mock\"}}]";

    /**
     * llmlens.capture-content=true: the exact semconv JSON on a chat span (whose prompt quotes a key, which
     * must arrive redacted), a streamed span, both Responses API flavours and a tool round trip; nothing on
     * embeddings. The app's output is unchanged.
     */
    @Test
    void contentCaptureWritesRedactedSemconvJson() throws Exception {
        String secret = "sk-proj-" + java.util.UUID.randomUUID().toString().replace("-", "") + "7Qx";
        List<String> args = new ArrayList<>(run.agentArgs(freePort()));
        args.add("-Dllmlens.capture-content=true");
        args.add("-Dsmoke.secret=" + secret);
        List<String> scenarios = OpenAiScenarios.CONTENT_SCENARIOS;
        try (AppProcess app = run.start(args, appClasspath(), scenarios.toArray(String[]::new))) {
            app.awaitScenariosDone(TIMEOUT);
            List<ReceivedSpan> spans;
            try {
                spans = OpenAiExpectations.byStartTime(otlp.awaitSpans(s -> s.size() >= 7, TIMEOUT));
            } catch (AssertionError e) {
                app.stop(TIMEOUT);
                throw new AssertionError(e.getMessage() + "\n" + app.describe(), e);
            }
            assertEquals(0, app.stop(TIMEOUT));
            assertEquals(scenarios.size() + 1, app.stdout().size(), app.describe()); // and SCENARIOS_DONE
            assertTrue(app.stdout().get(4).startsWith("chat-tool-round-trip: get_weather{\"city\":\"mock\"} -> "), app.describe());
            assertEquals(1, count(app.stderr(), "content capture ON"), app.describe());
            assertEquals(List.of("chat gpt-4o-mini", "chat gpt-4o-mini", "chat gpt-4.1-mini", "chat gpt-4.1-mini",
                    "chat mock-tool-calls", "chat mock-tool-calls", "embeddings text-embedding-3-small"),
                    spans.stream().map(ReceivedSpan::name).toList());
            for (ReceivedSpan span : spans) {
                for (String key : CONTENT_ATTRIBUTES) {
                    Object value = span.attribute(key);
                    assertTrue(value == null || !value.toString().contains(secret), span.name() + " " + key + ": " + value);
                }
            }

            ReceivedSpan secretChat = spans.get(0);
            assertEquals("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"You are terse.\"}]},"
                    + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"My key is [REDACTED:openai_key]."
                    + " Say hello.\"}]}]", secretChat.attribute("gen_ai.input.messages"));
            assertEquals(HELLO_ANSWER, secretChat.attribute("gen_ai.output.messages"));
            assertEquals(null, secretChat.attribute("gen_ai.tool.definitions"));

            ReceivedSpan stream = spans.get(1);
            assertEquals(true, stream.attribute("gen_ai.request.stream"));
            assertEquals(TERSE_HELLO, stream.attribute("gen_ai.input.messages"));
            assertEquals(HELLO_ANSWER, stream.attribute("gen_ai.output.messages"), "assembled from the deltas");

            String sayHello = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Say hello.\"}]}]";
            for (ReceivedSpan responses : spans.subList(2, 4)) {
                assertEquals(sayHello, responses.attribute("gen_ai.input.messages"), responses.toString());
                assertEquals(HELLO_ANSWER, responses.attribute("gen_ai.output.messages"), responses.toString());
            }

            ReceivedSpan ask = spans.get(4);
            assertEquals("[" + WEATHER_QUESTION + "]", ask.attribute("gen_ai.input.messages"));
            assertEquals("[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Weather for a city\","
                    + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]",
                    ask.attribute("gen_ai.tool.definitions"));
            assertEquals("[" + WEATHER_CALL + ",\"finish_reason\":\"tool_call\"}]",
                    callIds(ask.attribute("gen_ai.output.messages")));
            ReceivedSpan answer = spans.get(5);
            assertEquals("[" + WEATHER_QUESTION + "," + WEATHER_CALL + "},{\"role\":\"tool\",\"parts\":[{\"type\":"
                    + "\"tool_call_response\",\"id\":\"call_mock_N\",\"response\":\"" + OpenAiScenarios.TOOL_RESULT + "\"}]}]",
                    callIds(answer.attribute("gen_ai.input.messages")));
            assertEquals(HELLO_ANSWER, answer.attribute("gen_ai.output.messages"));

            assertNoContent(spans.subList(6, 7));
        }
    }

    private static String callIds(Object json) {
        return String.valueOf(json).replaceAll("call_mock_\\d+", "call_mock_N");
    }

    /** One JSON line per exported span, written by the time the JVM has exited, naming that span. */
    private static void assertEventLines(Path events, List<ReceivedSpan> spans) throws IOException {
        List<String> lines = Files.readAllLines(events);
        assertEquals(spans.size(), lines.size(), String.join("\n", lines));
        ObjectMapper json = new ObjectMapper();
        Map<String, ReceivedSpan> bySpanId = spans.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s));
        int errors = 0;
        for (String line : lines) {
            JsonNode event = json.readTree(line);
            ReceivedSpan span = bySpanId.get(event.get("span_id").asText());
            assertTrue(span != null, "the line names an exported span: " + line);
            assertEquals(span.traceId(), event.get("trace_id").asText());
            assertEquals("llmlens.model_call", event.get("event").asText());
            assertEquals("smoke-app", event.get("service").asText());
            assertEquals(span.attribute("gen_ai.provider.name"), event.get("provider").asText());
            Object input = span.attribute("gen_ai.usage.input_tokens");
            assertEquals(input == null ? null : ((Long) input).intValue(),
                    event.has("input_tokens") ? event.get("input_tokens").asInt() : null, line);
            Object cost = span.attribute("gen_ai.usage.cost");
            if (cost != null) {
                assertEquals((Double) cost, event.get("cost_usd").asDouble(), 1e-15, line);
            }
            Object errorType = span.attribute("error.type");
            assertEquals(errorType == null ? "ok" : "error",
                    "incomplete".equals(event.get("status").asText()) ? "ok" : event.get("status").asText(), line);
            if (errorType != null) {
                errors++;
                assertEquals(errorType, event.get("error_type").asText());
                assertEquals("ERROR", event.get("level").asText());
            }
            if (span.parentSpanId().equals("b7ad6b7169203331")) {
                assertEquals("u-smoke", event.get("user.id").asText(), "baggage on the line too");
            }
        }
        assertEquals(3, errors, "429, 500 and the broken stream");
    }

    private void assertMetrics(PrometheusText metrics, PrometheusText openMetrics, List<ReceivedSpan> spans) {
        String port = Integer.toString(mock.port());
        Map<String, String> miniChat = Map.of("gen_ai_operation_name", "chat", "gen_ai_provider_name", "openai",
                "gen_ai_request_model", "gpt-4o-mini", "gen_ai_response_model", "gpt-4o-mini-2024-07-18",
                "server_address", "127.0.0.1", "server_port", port);
        // chat-sync, chat-from-env, chat-async, chat-in-app-trace, the five streams; chat-raw has no response model
        assertEquals(9, metrics.value("gen_ai_client_operation_duration_seconds_count", with(miniChat, "error_type", "")));
        assertEquals(1, metrics.value("gen_ai_client_operation_duration_seconds_count",
                Map.of("gen_ai_request_model", "mock-429", "error_type", "com.openai.errors.RateLimitException")));
        assertEquals(1, metrics.value("gen_ai_client_operation_duration_seconds_count",
                Map.of("gen_ai_request_model", "mock-500", "error_type", "com.openai.errors.InternalServerException")));
        // usage was reported by chat-sync, chat-from-env, chat-async, chat-in-app-trace, chat-stream-usage,
        // chat-stream-async, chat-raw-stream
        assertEquals(7, metrics.value("gen_ai_client_token_usage_count", with(miniChat, "gen_ai_token_type", "input")));
        assertEquals(7 * 42, metrics.value("gen_ai_client_token_usage_sum", with(miniChat, "gen_ai_token_type", "input")));
        assertEquals(7 * 17, metrics.value("gen_ai_client_token_usage_sum", with(miniChat, "gen_ai_token_type", "output")));
        assertEquals(5, metrics.value("gen_ai_client_operation_time_to_first_chunk_seconds_count", miniChat));
        Map<String, String> miniTokens = Map.of("gen_ai_provider_name", "openai", "gen_ai_request_model", "gpt-4o-mini",
                "gen_ai_response_model", "gpt-4o-mini-2024-07-18");
        assertEquals(7 * 42, metrics.value("llmlens_tokens_total", with(miniTokens, "gen_ai_token_type", "input")));
        assertEquals(7 * 10, metrics.value("llmlens_tokens_total", with(miniTokens, "gen_ai_token_type", "cache_read")));
        assertEquals(7 * 17, metrics.value("llmlens_tokens_total", with(miniTokens, "gen_ai_token_type", "output")));
        assertEquals(7 * 5, metrics.value("llmlens_tokens_total", with(miniTokens, "gen_ai_token_type", "reasoning")));
        assertEquals(7 * OpenAiExpectations.GPT_4O_MINI_CHAT_COST, metrics.value("llmlens_cost_usd_total", miniTokens), 1e-12);
        assertEquals(OpenAiExpectations.GPT_41_MINI_RESPONSES_COST * 3, metrics.value("llmlens_cost_usd_total",
                Map.of("gen_ai_request_model", "gpt-4.1-mini")), 1e-12);
        assertEquals(1, metrics.value("llmlens_unpriced_calls_total",
                Map.of("gen_ai_provider_name", "openai", "gen_ai_response_model", "acme-private-model-2025-01-01")));
        assertEquals(0, metrics.sum("llmlens_active_calls", Map.of()), "every call has ended");
        assertEquals(0, metrics.sum("llmlens_agent_errors_total", Map.of()), "the agent met nothing unexpected");
        assertEquals(1, metrics.value("target_info", Map.of("service_name", "smoke-app")));
        // exemplars (OpenMetrics only) point at spans that were really exported
        List<String> traceIds = spans.stream().map(ReceivedSpan::traceId).toList();
        List<PrometheusText.Sample> withExemplar = openMetrics.find("gen_ai_client_operation_duration_seconds_bucket", Map.of())
                .stream().filter(s -> s.exemplar() != null).toList();
        assertTrue(!withExemplar.isEmpty(), "duration buckets carry exemplars");
        for (PrometheusText.Sample sample : withExemplar) {
            String traceId = sample.exemplar().replaceAll(".*trace_id=\"([0-9a-f]+)\".*", "$1");
            assertTrue(traceIds.contains(traceId), "exemplar " + sample.exemplar() + " names an exported trace");
        }
    }

    private static void assertAgentLog(AppProcess app, String sdkVersion) {
        List<String> stderr = app.stderr();
        assertEquals(1, count(stderr, "[llm-lens] INFO llm-lens "), app.describe());
        assertEquals(1, count(stderr, "No price for provider openai, model acme-private-model-2025-01-01"), app.describe());
        SmokeRun.assertAgentLog(app, "openai-java", sdkVersion);
    }

    @Test
    void springBootFatJar() throws Exception {
        int metricsPort = freePort();
        List<String> scenarios = List.of(BootScenarioApp.SCENARIOS.split(","));
        try (AppProcess app = AppProcess.start(JAVA_17, run.agentArgs(metricsPort), null, setting("boot.jar"), mock.baseUrl())) {
            app.awaitScenariosDone(TIMEOUT);
            otlp.awaitSpans(s -> s.size() >= scenarios.size(), TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            assertEquals(0, app.stop(TIMEOUT));

            List<String> expectedOutput = new ArrayList<>();
            for (String line : baselineOutput) {
                if (scenarios.contains(line.substring(0, line.indexOf(':') < 0 ? 0 : line.indexOf(':')))) {
                    expectedOutput.add(line.replaceAll("mock-\\d+", "mock-N").replaceAll("resp_mock_\\d+", "resp_mock_N"));
                }
            }
            List<String> actual = app.stdout().stream().filter(l -> scenarios.stream().anyMatch(s -> l.startsWith(s + ": ")))
                    .map(l -> l.replaceAll("mock-\\d+", "mock-N").replaceAll("resp_mock_\\d+", "resp_mock_N")).toList();
            assertEquals(expectedOutput, actual, app.describe());
            OpenAiExpectations.assertScenarioSpans(scenarios, otlp.spans(), mock.port());
            assertEquals(3 * 42, metrics.value("llmlens_tokens_total", Map.of("gen_ai_request_model", "gpt-4o-mini",
                    "gen_ai_token_type", "input")), "chat-sync, chat-stream-usage and chat-stream-async reported usage");
            assertEquals(0, count(app.stderr(), "Could not hook"), app.describe());
        }
    }

    @Test
    void backendHangingBadConfigAndBadPricingFileKeepTheAppWhole() throws Exception {
        int metricsPort = freePort();
        Path badPrices = Files.createTempFile("prices", ".json");
        Files.writeString(badPrices, "{ \"models\": [ { \"model\": ");
        // a backend that accepts connections and never answers: the worst case for export and exit
        try (ServerSocket hanging = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            List<String> args = new ArrayList<>(run.agentArgs(metricsPort));
            args.add("-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + hanging.getLocalPort());
            args.add("-Dotel.exporter.otlp.timeout=2000");
            args.add("-Dllmlens.metrics.label-value-limit=lots");
            args.add("-Dllmlens.pricing.file=" + badPrices);
            runWithBrokenSurroundings(args, metricsPort, badPrices);
        }
    }

    private void runWithBrokenSurroundings(List<String> args, int metricsPort, Path badPrices) throws Exception {
        try (AppProcess app = run.start(args, appClasspath())) {
            app.awaitScenariosDone(TIMEOUT);
            double dropped = awaitDroppedSpans(metricsPort);
            long stopStart = System.nanoTime();
            assertEquals(0, app.stop(TIMEOUT));
            long exitMillis = (System.nanoTime() - stopStart) / 1_000_000;
            assertTrue(exitMillis < 4_000, "exit is bounded (flush gives up after 1.5 s): " + exitMillis + " ms");

            assertEquals(baselineOutput, app.stdout(), "the app's output is the same with the backend down");
            assertTrue(dropped >= 1, "spans that could not be exported are counted");
            List<String> stderr = app.stderr();
            assertEquals(1, count(stderr, "Ignoring llmlens.metrics.label-value-limit=lots (not a number); using the default 200"), app.describe());
            assertEquals(1, count(stderr, "Ignoring llmlens.pricing.file=" + badPrices), app.describe());
            assertEquals(0, count(stderr, "\tat "), "no stack traces flood stderr:\n" + app.describe());
            assertTrue(stderr.size() < 15, "a handful of lines, not a flood:\n" + app.describe());
            assertTrue(elapsedMillis(app) < baselineElapsedMillis * 3 + 2_000,
                    "calls are not slowed by the unreachable backend: " + elapsedMillis(app) + " ms vs " + baselineElapsedMillis + " ms");
            assertEquals(0, otlp.requestCount());
        }
    }

    private static double awaitDroppedSpans(int metricsPort) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            double dropped = PrometheusText.scrape(metricsPort, false).value("llmlens_export_dropped_total", Map.of("signal", "traces"));
            if (dropped > 0) {
                return dropped;
            }
            // a poll interval, not a wait for an event: keeps the scrapes from starving the app on 2 cores
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        throw new AssertionError("llmlens_export_dropped_total stayed 0");
    }

    @Test
    void prometheusPortTakenWarnsOnceAndTracesStillFlow() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
             AppProcess app = run.start(run.agentArgs(taken.getLocalPort()), appClasspath(), "chat-sync")) {
            app.awaitScenariosDone(TIMEOUT);
            otlp.awaitSpans(s -> s.size() == 1, TIMEOUT);
            assertEquals(0, app.stop(TIMEOUT));
            assertEquals(1, count(app.stderr(), "Cannot serve Prometheus metrics on 127.0.0.1:" + taken.getLocalPort()), app.describe());
            assertEquals(baselineOutput.get(ALL.indexOf("chat-sync")), app.stdout().get(0));
        }
    }

    @Test
    void callsStillPendingAtExitAreFlushed() throws Exception {
        List<String> args = new ArrayList<>(run.agentArgs(freePort()));
        args.add("-Dotel.bsp.schedule.delay=600000"); // nothing is exported during the run
        try (AppProcess app = run.start(args, appClasspath(), "chat-sync", "embeddings-sync")) {
            app.awaitScenariosDone(TIMEOUT);
            assertEquals(0, app.stop(TIMEOUT));
            // the app has exited: whatever arrived was flushed by the shutdown hook
            assertEquals(List.of("chat gpt-4o-mini", "embeddings text-embedding-3-small"),
                    OpenAiExpectations.byStartTime(otlp.spans()).stream().map(ReceivedSpan::name).toList(), app.describe());
        }
    }

    @Test
    void disabledAgentChangesNothing() throws Exception {
        int metricsPort = freePort();
        List<String> args = new ArrayList<>(run.agentArgs(metricsPort));
        args.add("-Dllmlens.enabled=false");
        try (AppProcess app = run.start(args, appClasspath())) {
            app.awaitScenariosDone(TIMEOUT);
            assertTrue(isFree(metricsPort), "no /metrics server when disabled");
            assertEquals(0, app.stop(TIMEOUT));
            assertEquals(baselineOutput, app.stdout());
            assertEquals(List.of(), otlp.spans());
            assertEquals(1, count(app.stderr(), "llm-lens is disabled"), app.describe());
        }
    }

    /** Other ITs in this package took their metrics port from here before {@link SmokeRun} existed. */
    static int freePort() throws IOException {
        return SmokeRun.freePort();
    }
}
