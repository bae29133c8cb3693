package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.app.AnthropicScenarios;
import dev.llmlens.smoke.harness.AnthropicExpectations;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.mock.MockAnthropicServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent attached with -javaagent to the sample app on the real anthropic-java SDK, the
 * newest and the oldest supported version, each run in its own JVM against the local mock Anthropic
 * API and a real OTLP/HTTP receiver: exact spans (the tool runner's as a tree) and exact metrics.
 */
class AnthropicAgentIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String JAVA_17 = System.getProperty("java.home");
    private static final int HTTP_REQUESTS = AnthropicScenarios.SCENARIOS.values().stream().mapToInt(Integer::intValue).sum();

    private static MockAnthropicServer mock;
    private static OtlpReceiver otlp;
    /** The app's output without the agent, on the newest SDK. */
    private static List<String> baselineOutput;

    @BeforeAll
    static void startBackendsAndRecordBaseline() throws Exception {
        mock = new MockAnthropicServer().start();
        otlp = new OtlpReceiver().start();
        try (AppProcess app = AppProcess.start(JAVA_17, List.of(), appClasspath(), AnthropicScenarios.class.getName(),
                mock.baseUrl())) {
            app.awaitScenariosDone(TIMEOUT);
            assertEquals(0, app.stop(TIMEOUT));
            baselineOutput = app.stdout();
            assertEquals(AnthropicScenarios.SCENARIOS.size() + 1, baselineOutput.size(), app.describe());
            assertEquals(HTTP_REQUESTS, mock.requestCount());
        }
    }

    @AfterAll
    static void stopBackends() {
        mock.close();
        otlp.close();
    }

    @BeforeEach
    void reset() {
        mock.reset();
        otlp.reset();
    }

    @Test
    void newestSdk() throws Exception {
        runAndCheck(appClasspath(), setting("anthropic.version"), true);
    }

    @Test
    void oldestSupportedSdk() throws Exception {
        String oldest = setting("anthropic.oldest.version");
        String classpath = Arrays.stream(appClasspath().split(File.pathSeparator))
                .map(entry -> entry.contains("anthropic-java-core-") || entry.contains("anthropic-java-client-okhttp-")
                        ? oldestJar(entry) : entry)
                .collect(Collectors.joining(File.pathSeparator));
        assertTrue(classpath.contains("anthropic-java-core-" + oldest + ".jar"), classpath);
        runAndCheck(classpath, oldest, false);
    }

    private static String oldestJar(String newestJar) {
        String name = Path.of(newestJar).getFileName().toString()
                .replace(setting("anthropic.version"), setting("anthropic.oldest.version"));
        return Path.of(setting("anthropic.oldest.dir"), name).toString();
    }

    /** @param sdkTracesItself the SDK version has its own OpenTelemetry spans (3.x), used by one scenario */
    private void runAndCheck(String classpath, String sdkVersion, boolean sdkTracesItself) throws Exception {
        int metricsPort = OpenAiAgentIT.freePort();
        AnthropicExpectations expected = new AnthropicExpectations(mock.port(), sdkTracesItself);
        try (AppProcess app = AppProcess.start(JAVA_17, agentArgs(metricsPort), classpath,
                AnthropicScenarios.class.getName(), mock.baseUrl())) {
            app.awaitScenariosDone(TIMEOUT);
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= expected.spanCount(), TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            assertEquals(0, app.stop(TIMEOUT));

            assertEquals(expectedOutput(sdkTracesItself), app.stdout(), "the app's output is the same with the agent");
            assertEquals(HTTP_REQUESTS, mock.requestCount());
            expected.assertSpans(spans, mock.requestCount());
            expected.assertMetrics(metrics);
            List<String> stderr = app.stderr();
            assertEquals(0, count(stderr, " is off for "), "anthropic-java " + sdkVersion + " passed the reference check:\n"
                    + app.describe());
            assertEquals(0, count(stderr, "\tat "), "no stack traces on stderr:\n" + app.describe());
            assertTrue(stderr.stream().anyMatch(l -> l.matches(".*instrumentations \\[[^]]*anthropic-java[^]]*\\].*")),
                    app.describe());
        }
    }

    /** On 2.x the sdk-traced scenario makes an ordinary call: the SDK has no telemetry to turn on. */
    private static List<String> expectedOutput(boolean sdkTracesItself) {
        List<String> lines = new ArrayList<>(baselineOutput);
        if (!sdkTracesItself) {
            lines.replaceAll(line -> line.startsWith("sdk-traced: ")
                    ? line.replaceAll(", SDK spans \\[.*\\]$", ", no SDK telemetry") : line);
        }
        return lines;
    }

    private static List<String> agentArgs(int metricsPort) {
        return List.of("-javaagent:" + setting("agent.jar"),
                "-Dotel.service.name=anthropic-smoke",
                "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(),
                "-Dotel.bsp.schedule.delay=100",
                "-Dllmlens.prometheus.host=127.0.0.1",
                "-Dllmlens.prometheus.port=" + metricsPort);
    }

    private static long count(List<String> lines, String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).count();
    }
}
