package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static dev.llmlens.smoke.harness.SmokeRun.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.app.AnthropicScenarios;
import dev.llmlens.smoke.harness.AnthropicExpectations;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.harness.SdkClasspath;
import dev.llmlens.smoke.harness.SmokeRun;
import dev.llmlens.smoke.mock.MockAnthropicServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged agent attached with -javaagent to the sample app on the real anthropic-java SDK, the
 * newest and the oldest supported version, each run in its own JVM against the local mock Anthropic
 * API and a real OTLP/HTTP receiver: exact spans (the tool runner's as a tree) and exact metrics.
 */
class AnthropicAgentIT {

    private static final int HTTP_REQUESTS = AnthropicScenarios.SCENARIOS.values().stream().mapToInt(Integer::intValue).sum();

    private static final MockAnthropicServer mock = new MockAnthropicServer().start();
    @RegisterExtension
    static final SmokeRun run = new SmokeRun(mock, mock.baseUrl(), AnthropicScenarios.class, "anthropic-smoke");
    private static final OtlpReceiver otlp = run.otlp();

    @BeforeAll
    static void recordBaseline() throws Exception {
        run.recordBaseline(AnthropicScenarios.SCENARIOS.size() + 1);
        assertEquals(HTTP_REQUESTS, mock.requestCount());
    }

    @Test
    void newestSdk() throws Exception {
        runAndCheck(appClasspath(), setting("anthropic.version"), true);
    }

    @Test
    void oldestSupportedSdk() throws Exception {
        String oldest = setting("anthropic.oldest.version");
        String classpath = SdkClasspath.oldest("anthropic",
                jar -> jar.startsWith("anthropic-java-core-") || jar.startsWith("anthropic-java-client-okhttp-"));
        assertTrue(classpath.contains("anthropic-java-core-" + oldest + ".jar"), classpath);
        runAndCheck(classpath, oldest, false);
    }

    /** @param sdkTracesItself the SDK version has its own OpenTelemetry spans (3.x), used by one scenario */
    private void runAndCheck(String classpath, String sdkVersion, boolean sdkTracesItself) throws Exception {
        int metricsPort = SmokeRun.freePort();
        AnthropicExpectations expected = new AnthropicExpectations(mock.port(), sdkTracesItself);
        try (AppProcess app = run.start(run.agentArgs(metricsPort), classpath)) {
            app.awaitScenariosDone(TIMEOUT);
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= expected.spanCount(), TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            assertEquals(0, app.stop(TIMEOUT));

            assertEquals(expectedOutput(sdkTracesItself), app.stdout(), "the app's output is the same with the agent");
            assertEquals(HTTP_REQUESTS, mock.requestCount());
            expected.assertSpans(spans, mock.requestCount());
            expected.assertMetrics(metrics);
            SmokeRun.assertAgentLog(app, "anthropic-java", sdkVersion);
        }
    }

    /** On 2.x the sdk-traced scenario makes an ordinary call: the SDK has no telemetry to turn on. */
    private static List<String> expectedOutput(boolean sdkTracesItself) {
        List<String> lines = new ArrayList<>(run.baselineOutput());
        if (!sdkTracesItself) {
            lines.replaceAll(line -> line.startsWith("sdk-traced: ")
                    ? line.replaceAll(", SDK spans \\[.*\\]$", ", no SDK telemetry") : line);
        }
        return lines;
    }
}
