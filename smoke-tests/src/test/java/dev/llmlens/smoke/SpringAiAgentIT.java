package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.AFTER_TOOL_COMPLETION_TOKENS;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.AFTER_TOOL_PROMPT_TOKENS;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.PLAIN_COMPLETION_TOKENS;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.PLAIN_PROMPT_TOKENS;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.TOOL_CALL_COMPLETION_TOKENS;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.TOOL_CALL_PROMPT_TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.smoke.app.SpringAiScenarios;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.harness.SmokeRun;
import dev.llmlens.smoke.mock.MockOpenAiToolServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spring AI's ChatClient with the packaged agent, against a local mock: a call without tools is one
 * inference span; a call with a tool is an invoke_agent span holding both HTTP round trips and the one
 * tool execution as siblings. On 1.1 (its own OpenAI client) the round trips are Spring AI's spans, each
 * with its own tokens (Spring AI reports them summed); on 2.0 (openai-java inside) they are openai-java's
 * spans, the Spring AI call inside adding none. On 2.0 a third call takes its tool from an MCP server
 * in another JVM through spring-ai-mcp: one tool span, and the server's span in the same trace.
 */
class SpringAiAgentIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** What one run of SpringAiScenarios produced. */
    private record Run(List<ReceivedSpan> spans, String tree, PrometheusText metrics, int httpRoundTrips) {}

    /** @param mcp also run the call whose tool is an MCP server's (another JVM, launched by the app) */
    private static Run runScenarios(String classpath, String label, boolean mcp) throws Exception {
        int metricsPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            metricsPort = socket.getLocalPort();
        }
        try (MockOpenAiToolServer mock = new MockOpenAiToolServer().start();
             OtlpReceiver otlp = new OtlpReceiver().start();
             AppProcess app = AppProcess.start(System.getProperty("java.home"), List.of(
                     "-javaagent:" + setting("agent.jar"),
                     "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(), "-Dotel.bsp.schedule.delay=100",
                     "-Dllmlens.prometheus.host=127.0.0.1", "-Dllmlens.prometheus.port=" + metricsPort),
                     classpath, SpringAiScenarios.class.getName(), mcp
                             ? new String[] {"http://127.0.0.1:" + mock.port(), String.valueOf(SmokeRun.freePort())}
                             : new String[] {"http://127.0.0.1:" + mock.port()})) {
            app.send("go");
            app.awaitScenariosDone(TIMEOUT);
            int expectedSpans = mcp ? 10 : 5;
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= expectedSpans, TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            assertEquals(0, app.stop(TIMEOUT));
            String tree = OtlpReceiver.tree(spans);
            System.out.println(label + " spans:\n" + tree);
            List<ReceivedSpan> sorted = spans.stream().sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
            return new Run(sorted, tree, metrics, mock.chatRequests());
        }
    }

    /**
     * The shape both lines share: a plain chat span, then invoke_agent ChatClient over chat,
     * execute_tool and chat; the run's counters; tokens counted once per HTTP round trip in /metrics.
     */
    private static void assertPlainCallAndToolLoop(Run run, int mcpRuns) {
        String tree = run.tree();
        assertEquals(3 + 2 * mcpRuns, run.httpRoundTrips(), "one plain call, two round trips of each tool loop");
        assertEquals(5 + 5 * mcpRuns, run.spans().size(), tree);
        List<ReceivedSpan> spans = run.spans().subList(0, 5);
        ReceivedSpan plain = spans.get(0);
        ReceivedSpan agent = spans.get(1);
        assertEquals("chat gpt-4o-mini", plain.name());
        assertEquals("CLIENT", plain.kind());
        assertEquals("", plain.parentSpanId(), "no tools declared: no wrapper");
        assertEquals((long) PLAIN_PROMPT_TOKENS, plain.attribute("gen_ai.usage.input_tokens"));

        assertEquals("invoke_agent ChatClient", agent.name());
        assertEquals("INTERNAL", agent.kind());
        assertEquals("", agent.parentSpanId());
        List<ReceivedSpan> children = spans.subList(2, 5);
        for (ReceivedSpan child : children) {
            assertEquals(agent.spanId(), child.parentSpanId(), tree);
        }
        assertEquals(List.of("chat gpt-4o-mini", "execute_tool weather", "chat gpt-4o-mini"),
                children.stream().map(ReceivedSpan::name).toList(), tree);
        ReceivedSpan round1 = children.get(0);
        ReceivedSpan tool = children.get(1);
        ReceivedSpan round2 = children.get(2);
        assertEquals((long) TOOL_CALL_PROMPT_TOKENS, round1.attribute("gen_ai.usage.input_tokens"));
        assertEquals((long) TOOL_CALL_COMPLETION_TOKENS, round1.attribute("gen_ai.usage.output_tokens"));
        assertEquals((long) AFTER_TOOL_PROMPT_TOKENS, round2.attribute("gen_ai.usage.input_tokens"));
        assertEquals((long) AFTER_TOOL_COMPLETION_TOKENS, round2.attribute("gen_ai.usage.output_tokens"));
        assertEquals("openai", round1.attribute("gen_ai.provider.name"));
        assertEquals(MockOpenAiToolServer.RESPONSE_MODEL, round1.attribute("gen_ai.response.model"));
        assertEquals(MockOpenAiToolServer.TOOL_CALL_ID, tool.attribute("gen_ai.tool.call.id"));
        assertEquals(true, round1.endEpochNanos() <= tool.startEpochNanos(), "a round trip ends when its response arrives");
        assertEquals(2L, agent.attribute("llmlens.run.model_calls"));
        assertEquals(1L, agent.attribute("llmlens.run.tool_calls"));
        assertEquals((long) (TOOL_CALL_PROMPT_TOKENS + AFTER_TOOL_PROMPT_TOKENS), agent.attribute("llmlens.run.input_tokens"));

        // tokens counted once per round trip, never the cumulative sums Spring AI 1.1 reports nor twice
        // for a round trip two hooks see (2.0: Spring AI's and openai-java's)
        PrometheusText metrics = run.metrics();
        Map<String, String> input = Map.of("gen_ai_provider_name", "openai", "gen_ai_token_type", "input");
        Map<String, String> output = Map.of("gen_ai_provider_name", "openai", "gen_ai_token_type", "output");
        assertEquals(PLAIN_PROMPT_TOKENS + (1 + mcpRuns) * (TOOL_CALL_PROMPT_TOKENS + AFTER_TOOL_PROMPT_TOKENS),
                metrics.sum("llmlens_tokens_total", input));
        assertEquals(PLAIN_COMPLETION_TOKENS + (1 + mcpRuns) * (TOOL_CALL_COMPLETION_TOKENS + AFTER_TOOL_COMPLETION_TOKENS),
                metrics.sum("llmlens_tokens_total", output));
        assertEquals(1, metrics.value("llmlens_tool_calls_total", Map.of("gen_ai_tool_name", "weather", "error_type", "")));
        assertEquals(1 + mcpRuns, metrics.value("llmlens_agent_runs_total", Map.of("gen_ai_agent_name", "ChatClient", "error_type", "")));
    }

    /**
     * The call whose tool is the MCP server's get_weather through spring-ai-mcp's SyncMcpToolCallback:
     * one tool span for the one execution, the callback's execute_tool with the MCP client call folded in
     * (it carries mcp.method.name and the model's tool call id), and under it, in the same trace, the
     * SERVER span the server JVM exported: the request's _meta carried that span's traceparent.
     */
    private static void assertMcpToolLoop(Run run) {
        String tree = run.tree();
        List<ReceivedSpan> spans = run.spans().subList(5, 10);
        assertEquals(List.of("invoke_agent ChatClient", "chat gpt-4o-mini", "execute_tool get_weather",
                "tools/call get_weather", "chat gpt-4o-mini"), spans.stream().map(ReceivedSpan::name).toList(), tree);
        ReceivedSpan agent = spans.get(0);
        ReceivedSpan tool = spans.get(2);
        ReceivedSpan server = spans.get(3);
        assertEquals("", agent.parentSpanId(), tree);
        for (ReceivedSpan span : spans) {
            assertEquals(agent.traceId(), span.traceId(), "one trace across both JVMs:\n" + tree);
        }
        for (int i : new int[] {1, 2, 4}) {
            assertEquals(agent.spanId(), spans.get(i).parentSpanId(), tree);
        }
        assertEquals("INTERNAL", tool.kind());
        assertEquals("tools/call", tool.attribute("mcp.method.name"));
        assertEquals(MockOpenAiToolServer.TOOL_CALL_ID, tool.attribute("gen_ai.tool.call.id"));
        assertEquals("function", tool.attribute("gen_ai.tool.type"));
        assertEquals("UNSET", tool.statusCode());
        assertEquals("SERVER", server.kind());
        assertEquals("spring-ai-mcp-server", server.resourceAttributes().get("service.name"));
        assertEquals(tool.spanId(), server.parentSpanId(), tree);
        assertEquals("get_weather", server.attribute("gen_ai.tool.name"));
        assertEquals(1L, agent.attribute("llmlens.run.tool_calls"));
        assertEquals(1, run.metrics().value("llmlens_tool_calls_total", Map.of("gen_ai_tool_name", "get_weather", "error_type", "")));
    }

    @Test
    void springAi11ChatClientToolLoopIsOneRunWithARoundTripSpanPerHttpCallAndOneToolSpan() throws Exception {
        Run run = runScenarios(appClasspath(), "Spring AI " + setting("spring-ai.version"), false);
        assertPlainCallAndToolLoop(run, 0);
        for (ReceivedSpan span : run.spans()) {
            assertEquals(null, span.attribute("openai.api.type"), "Spring AI 1.1 has its own client: " + run.tree());
        }
    }

    @Test
    void springAi2RoundTripsAreOpenAiJavaSpansOnePerHttpCall() throws Exception {
        String springAi2 = setting("app.classes") + File.pathSeparator
                + Files.readString(Path.of(setting("spring-ai-2.classpath.file"))).trim();
        Run run = runScenarios(springAi2, "Spring AI " + setting("spring-ai-2.version"), true);
        assertPlainCallAndToolLoop(run, 1);
        assertMcpToolLoop(run);
        for (ReceivedSpan span : run.spans()) {
            if (span.name().startsWith("chat ")) {
                // openai-java's hook owns the span; the Spring AI call around it is framework level
                assertEquals("chat_completions", span.attribute("openai.api.type"), run.tree());
            }
        }
    }
}
