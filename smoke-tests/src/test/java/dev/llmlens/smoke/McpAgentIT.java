package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.app.McpClientApp;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.SdkClasspath;
import dev.llmlens.smoke.harness.SmokeRun;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs with the agent: an MCP client and the stdio server it launches. Each tools/call is one
 * trace: the client's CLIENT span, and under it the server's SERVER span, exported by each process on
 * its own to the same receiver; the trace context travels in the request's _meta.
 */
class McpAgentIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String[] TOOLS = {"get_weather", "get_forecast", "get_alerts"};

    @Test
    void aToolCallIsOneTraceAcrossTheClientAndTheServerProcess() throws Exception {
        assertOneTracePerToolCall(appClasspath());
    }

    @Test
    void onTheOldestSdkToo() throws Exception {
        // the server JVM inherits the client's class path: both run the oldest
        String classpath = SdkClasspath.oldest("mcp",
                name -> name.matches("mcp(-core|-json-jackson3)?-" + Pattern.quote(setting("mcp.version")) + "\\.jar"));
        assertTrue(classpath.contains("mcp-core-" + setting("mcp.oldest.version") + ".jar"), classpath);
        assertFalse(classpath.contains("mcp-core-" + setting("mcp.version") + ".jar"), classpath);
        assertOneTracePerToolCall(classpath);
    }

    private static void assertOneTracePerToolCall(String classpath) throws Exception {
        try (OtlpReceiver otlp = new OtlpReceiver().start();
             AppProcess client = AppProcess.start(System.getProperty("java.home"), List.of(
                     "-javaagent:" + setting("agent.jar"),
                     "-Dotel.service.name=mcp-client", "-Dlogback.configurationFile=logback-mcp.xml",
                     "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(), "-Dotel.bsp.schedule.delay=100",
                     "-Dllmlens.prometheus.host=127.0.0.1", "-Dllmlens.prometheus.port=" + SmokeRun.freePort()),
                     classpath, McpClientApp.class.getName(), "mcp-server", String.valueOf(SmokeRun.freePort()))) {
            client.awaitScenariosDone(TIMEOUT);
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= 6, TIMEOUT);
            client.send("done");
            assertEquals(0, client.stop(TIMEOUT), client.describe());
            System.out.println(OtlpReceiver.tree(spans));

            assertEquals(List.of("get_weather: sunny in Paris", "get_forecast error: no forecast for the moon"),
                    client.stdout().subList(0, 2), client.describe());
            assertEquals(6, spans.size(), OtlpReceiver.tree(spans));
            for (String tool : TOOLS) {
                ReceivedSpan clientSpan = only(spans, tool, "CLIENT");
                ReceivedSpan serverSpan = only(spans, tool, "SERVER");
                assertEquals("mcp-client", clientSpan.resourceAttributes().get("service.name"));
                assertEquals("mcp-server", serverSpan.resourceAttributes().get("service.name"));
                assertEquals(clientSpan.traceId(), serverSpan.traceId(), OtlpReceiver.tree(spans));
                assertEquals(clientSpan.spanId(), serverSpan.parentSpanId(), OtlpReceiver.tree(spans));
                assertTrue(clientSpan.parentSpanId() == null || clientSpan.parentSpanId().isEmpty(),
                        "the client's call is the root of its trace");
                for (ReceivedSpan span : List.of(clientSpan, serverSpan)) {
                    assertEquals("tools/call", span.attribute("mcp.method.name"));
                    assertEquals("execute_tool", span.attribute("gen_ai.operation.name"));
                    assertEquals(tool, span.attribute("gen_ai.tool.name"));
                }
                assertTrue(serverSpan.attribute("mcp.session.id") != null, "the server knows its session");
            }
            assertEquals("UNSET", only(spans, "get_weather", "CLIENT").statusCode());
            assertEquals("UNSET", only(spans, "get_weather", "SERVER").statusCode());
            for (String kind : List.of("CLIENT", "SERVER")) {
                ReceivedSpan forecast = only(spans, "get_forecast", kind);
                assertEquals("ERROR", forecast.statusCode());
                assertEquals("tool_error", forecast.attribute("error.type"));
            }
            ReceivedSpan alerts = only(spans, "get_alerts", "SERVER");
            assertEquals("ERROR", alerts.statusCode());
            assertEquals("java.lang.IllegalStateException", alerts.attribute("error.type"));
            assertEquals("ERROR", only(spans, "get_alerts", "CLIENT").statusCode());
        }
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, String tool, String kind) {
        List<ReceivedSpan> matching = spans.stream()
                .filter(s -> s.name().equals("tools/call " + tool) && s.kind().equals(kind)).toList();
        assertEquals(1, matching.size(), kind + " tools/call " + tool + " in\n" + OtlpReceiver.tree(spans));
        return matching.get(0);
    }
}
