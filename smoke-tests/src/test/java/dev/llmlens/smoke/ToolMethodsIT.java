package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.app.PlainTools;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.harness.SmokeRun;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Methods named in llmlens.tools.methods become tool spans with no framework; the app's own log lines
 * inside them carry their trace ids; the audit trail they leave verifies, and a tampered copy does not.
 */
class ToolMethodsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String AUDIT_KEY = "smoke-audit-key";

    @Test
    void namedMethodsAreToolSpansTheirLogsCarryTheTraceAndTheAuditVerifies() throws Exception {
        Path dir = Files.createTempDirectory("llmlens-tools");
        Path audit = dir.resolve("audit.jsonl");
        int metricsPort = SmokeRun.freePort();
        String logback = Path.of(setting("app.classes"), "logback-plain-tools.xml").toString();
        try (OtlpReceiver otlp = new OtlpReceiver().start();
             AppProcess app = AppProcess.start(System.getProperty("java.home"), List.of(
                     "-javaagent:" + setting("agent.jar"),
                     "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(), "-Dotel.bsp.schedule.delay=100",
                     "-Dllmlens.prometheus.host=127.0.0.1", "-Dllmlens.prometheus.port=" + metricsPort,
                     "-Dllmlens.tools.methods=" + PlainTools.class.getName() + "#lookupOrder,"
                             + PlainTools.class.getName() + "#refund,not-a-method",
                     "-Dllmlens.audit.file=" + audit, "-Dllmlens.audit.key=" + AUDIT_KEY,
                     "-Dlogback.configurationFile=" + logback),
                     appClasspath(), PlainTools.class.getName())) {
            // operations that start before the agent's telemetry is up get their spans, but no MDC:
            // like a service, the app takes its first request once it (and the agent) have started
            app.awaitStderr("[llm-lens] INFO llm-lens ", TIMEOUT);
            app.send("go");
            app.awaitScenariosDone(TIMEOUT);
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= 3, TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            assertEquals(0, app.stop(TIMEOUT));

            assertEquals(3, spans.size(), OtlpReceiver.tree(spans));
            for (ReceivedSpan span : spans) {
                assertEquals("INTERNAL", span.kind());
                assertEquals("execute_tool", span.attribute("gen_ai.operation.name"));
                assertEquals("function", span.attribute("gen_ai.tool.type"));
            }
            List<ReceivedSpan> refunds = spans.stream().filter(s -> s.name().equals("execute_tool refund")).toList();
            assertEquals(1, refunds.size());
            assertEquals("ERROR", refunds.get(0).statusCode());
            assertEquals("java.lang.IllegalStateException", refunds.get(0).attribute("error.type"));
            assertEquals(2, spans.stream().filter(s -> s.name().equals("execute_tool lookupOrder")).count());
            assertEquals(2, metrics.value("llmlens_tool_calls_total", Map.of("gen_ai_tool_name", "lookupOrder", "error_type", "")));
            assertEquals(1, metrics.value("llmlens_tool_calls_total",
                    Map.of("gen_ai_tool_name", "refund", "error_type", "java.lang.IllegalStateException")));

            // the app's own Logback lines: inside a tool they name that tool's span, outside they name none
            List<String> logs = app.stdout().stream().filter(l -> l.startsWith("LOG ")).toList();
            assertEquals(4, logs.size(), app.describe());
            for (ReceivedSpan span : spans) {
                String ids = "trace_id=" + span.traceId() + " span_id=" + span.spanId() + " ";
                assertEquals(1, logs.stream().filter(l -> l.contains(ids)).count(), ids + " in " + logs);
            }
            assertEquals("LOG trace_id=none span_id=none outside any tool", logs.get(3));
            assertEquals(1, app.stderr().stream().filter(l -> l.contains("ignoring 'not-a-method' in llmlens.tools.methods")).count(),
                    app.describe());
        }

        List<String> lines = Files.readAllLines(audit);
        assertEquals(4, lines.size(), "a segment start and three tool calls: " + lines);
        assertEquals(0, verify(audit, "audit verify: OK"), "the file as the agent wrote it verifies");
        List<String> tampered = new ArrayList<>(lines);
        tampered.set(3, tampered.get(3).replace("\"status\":\"error\"", "\"status\":\"ok\""));
        assertTrue(!tampered.get(3).equals(lines.get(3)), "the refund line was the failed one");
        Files.write(audit, tampered);
        assertEquals(1, verify(audit, "audit verify: BROKEN: " + audit + " line 4: its content does not match its hash"));
    }

    /** Runs the agent jar's CLI; @return its exit code after checking that its output starts as expected. */
    private static int verify(Path audit, String expectedStart) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", setting("agent.jar"), "audit", "verify", audit.toString(), "--key", AUDIT_KEY)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).trim();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "audit verify finished");
        assertTrue(output.startsWith(expectedStart), output);
        return process.exitValue();
    }
}
