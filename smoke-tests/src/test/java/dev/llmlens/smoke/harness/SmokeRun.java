package dev.llmlens.smoke.harness;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.mock.MockApiServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every agent IT sets up once: a sample app (main class and the mock API it talks to), a real
 * OTLP/HTTP receiver, the agent's arguments, and the app's output without the agent, against which
 * each run with the agent is diffed. Registered as a static {@code @RegisterExtension} field, it
 * resets the mock and the receiver before each test and closes them after the class.
 */
public final class SmokeRun implements BeforeEachCallback, AfterAllCallback {

    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    public static final String JAVA_17 = System.getProperty("java.home");

    private final MockApiServer<?> mock;
    private final String mockUrl;
    private final String mainClass;
    private final String serviceName;
    private final OtlpReceiver otlp = new OtlpReceiver().start();
    private AppProcess baseline;

    /**
     * @param mock the started mock the app talks to
     * @param mockUrl what the app gets as its first argument (the mock's base URL or endpoint)
     */
    public SmokeRun(MockApiServer<?> mock, String mockUrl, Class<?> mainClass, String serviceName) {
        this.mock = mock;
        this.mockUrl = mockUrl;
        this.mainClass = mainClass.getName();
        this.serviceName = serviceName;
    }

    public OtlpReceiver otlp() {
        return otlp;
    }

    /**
     * Runs every scenario once without the agent, on the newest SDK; checks it exits cleanly and prints
     * {@code lines} lines (one a scenario, then SCENARIOS_DONE). Returns the finished app.
     */
    public AppProcess recordBaseline(int lines) throws Exception {
        try (AppProcess app = start(List.of(), appClasspath())) {
            app.awaitScenariosDone(TIMEOUT);
            assertEquals(0, app.stop(TIMEOUT));
            assertEquals(lines, app.stdout().size(), app.describe());
            baseline = app;
            return app;
        }
    }

    /** The app's output without the agent. */
    public List<String> baselineOutput() {
        if (baseline == null) throw new IllegalStateException("no baseline recorded");
        return baseline.stdout();
    }

    /** The app on JDK 17 with these JVM arguments, running the named scenarios (all when none are named). */
    public AppProcess start(List<String> jvmArgs, String classpath, String... scenarios) throws IOException {
        return start(JAVA_17, jvmArgs, classpath, scenarios);
    }

    public AppProcess start(String javaHome, List<String> jvmArgs, String classpath, String... scenarios) throws IOException {
        String[] args = scenarios.length == 0 ? new String[] {mockUrl} : new String[] {mockUrl, String.join(",", scenarios)};
        return AppProcess.start(javaHome, jvmArgs, classpath, mainClass, args);
    }

    /** The packaged agent, exporting to the receiver quickly and serving /metrics on {@code metricsPort}. */
    public List<String> agentArgs(int metricsPort) {
        return List.of("-javaagent:" + setting("agent.jar"),
                "-Dotel.service.name=" + serviceName,
                "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(),
                "-Dotel.bsp.schedule.delay=100",
                "-Dllmlens.prometheus.host=127.0.0.1",
                "-Dllmlens.prometheus.port=" + metricsPort);
    }

    /** Forgets what the mock and the receiver got: each test counts its own requests and spans. */
    @Override
    public void beforeEach(ExtensionContext context) {
        mock.reset();
        otlp.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        mock.close();
        otlp.close();
    }

    /**
     * The agent's stderr of a run: its start-up line lists {@code module}, which was not switched off
     * for the SDK version on the class path (it passed the reference check), and no stack traces.
     */
    public static void assertAgentLog(AppProcess app, String module, String sdkVersion) {
        List<String> stderr = app.stderr();
        assertTrue(stderr.stream().anyMatch(l -> l.matches(".*instrumentations \\[[^]]*" + module + "[^]]*\\].*")),
                app.describe());
        assertEquals(0, count(stderr, " is off for "), module + " " + sdkVersion + " passed the reference check:\n"
                + app.describe());
        assertEquals(0, count(stderr, "\tat "), "no stack traces on stderr:\n" + app.describe());
    }

    public static long count(List<String> lines, String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).count();
    }

    /** The app's own measure of how long its scenarios took (printed on stderr). */
    public static long elapsedMillis(AppProcess app) {
        return app.stderr().stream().filter(l -> l.startsWith("SCENARIOS_ELAPSED_MS=")).findFirst()
                .map(l -> Long.parseLong(l.substring(l.indexOf('=') + 1)))
                .orElseThrow(() -> new AssertionError("no SCENARIOS_ELAPSED_MS line\n" + app.describe()));
    }

    /** Prometheus labels: a copy of {@code labels} with one more. */
    public static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> copy = new HashMap<>(labels);
        copy.put(key, value);
        return copy;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    public static boolean isFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
