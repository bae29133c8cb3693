package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.app.LangChain4jScenarios;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.mock.MockOpenAiServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent attached with -javaagent to a LangChain4j app, on the newest and the oldest
 * supported LangChain4j, against the local mock OpenAI API (which answers with tool calls, so the AI
 * services' tool loops really run) and a real OTLP/HTTP receiver: each scenario's exact span tree and
 * the exact metrics. On the newest line an AI service over langchain4j-open-ai-official (openai-java
 * underneath) must give one chat span per round trip: openai-java's.
 */
class LangChain4jAgentIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String JAVA_17 = System.getProperty("java.home");
    private static final List<String> LANGCHAIN4J_JARS = List.of("langchain4j-", "langchain4j-core-", "langchain4j-open-ai-",
            "langchain4j-http-client-", "langchain4j-http-client-jdk-");
    /** gpt-4o-mini at 0.15 / 0.075 cached / 0.60 per 1M tokens, for the mock's 42 input (10 cached) and 17 output. */
    private static final double GPT_4O_MINI_CALL_COST = (32 * 0.15 + 10 * 0.075 + 17 * 0.60) / 1e6;

    private static MockOpenAiServer mock;
    private static OtlpReceiver otlp;

    @BeforeAll
    static void startBackends() throws Exception {
        mock = new MockOpenAiServer().start();
        otlp = new OtlpReceiver().start();
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
    void newestLangChain4j() throws Exception {
        runAndCheck(appClasspath(), true);
    }

    @Test
    void oldestSupportedLangChain4j() throws Exception {
        String oldest = setting("langchain4j.oldest.version");
        String classpath = java.util.Arrays.stream(appClasspath().split(File.pathSeparator))
                // the official module needs a newer core than 1.0 has: an app on 1.0 cannot use it
                .filter(entry -> !entry.contains("langchain4j-open-ai-official-"))
                .map(entry -> isLangChain4jJar(entry) ? oldestJar(entry) : entry)
                .collect(Collectors.joining(File.pathSeparator));
        assertTrue(classpath.contains("langchain4j-core-" + oldest + ".jar"), classpath);
        runAndCheck(classpath, false);
    }

    private static boolean isLangChain4jJar(String entry) {
        String name = Path.of(entry).getFileName().toString();
        return name.equals("langchain4j-mcp-" + setting("langchain4j-mcp.version") + ".jar") || LANGCHAIN4J_JARS.stream().anyMatch(prefix -> name.equals(prefix + setting("langchain4j.version") + ".jar"));
    }

    private static String oldestJar(String newestJar) {
        String name = Path.of(newestJar).getFileName().toString()
                .replace(setting("langchain4j-mcp.version"), setting("langchain4j-mcp.oldest.version"))
                .replace(setting("langchain4j.version"), setting("langchain4j.oldest.version"));
        return Path.of(setting("langchain4j.oldest.dir"), name).toString();
    }

    private void runAndCheck(String classpath, boolean official) throws Exception {
        int metricsPort = OpenAiAgentIT.freePort();
        int httpRequests = LangChain4jScenarios.SCENARIOS.entrySet().stream()
                .filter(e -> official || !e.getKey().equals(LangChain4jScenarios.OFFICIAL))
                .mapToInt(Map.Entry::getValue).sum();
        // the MCP run: four spans of the client, one of the MCP server it launched
        int spanCount = 4 + 4 + 2 + 1 + 1 + 1 + (official ? 4 : 0) + 5;
        try (AppProcess app = AppProcess.start(JAVA_17, agentArgs(metricsPort), classpath,
                LangChain4jScenarios.class.getName(), mock.baseUrl())) {
            app.awaitScenariosDone(TIMEOUT);
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= spanCount, TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            assertEquals(0, app.stop(TIMEOUT));

            System.out.println("LangChain4j " + (official ? setting("langchain4j.version") : setting("langchain4j.oldest.version"))
                    + " spans:\n" + OtlpReceiver.tree(spans));
            assertEquals(httpRequests, mock.requestCount(), app.describe());
            assertEquals(spanCount, spans.size(), describe(spans));
            Map<String, List<ReceivedSpan>> traces = spans.stream().collect(Collectors.groupingBy(ReceivedSpan::traceId));
            assertEquals(official ? 8 : 7, traces.size(), describe(spans));
            List<List<ReceivedSpan>> byStart = traces.values().stream()
                    .map(t -> t.stream().sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList())
                    .sorted(Comparator.comparingLong(t -> t.get(0).startEpochNanos())).toList();

            assertToolRun(byStart.get(0), null, false);
            assertToolRun(byStart.get(1), "java.lang.IllegalStateException", false);
            List<ReceivedSpan> memory = byStart.get(2);
            assertEquals(List.of("invoke_agent Assistant", "chat gpt-4o-mini"), names(memory));
            assertEquals("conversation-42", memory.get(0).attribute("gen_ai.conversation.id"));
            assertEquals(memory.get(0).spanId(), memory.get(1).parentSpanId());
            assertSingle(byStart.get(3), "chat gpt-4o-mini");
            ReceivedSpan stream = assertSingle(byStart.get(4), "chat gpt-4o-mini");
            assertEquals(true, stream.attribute("gen_ai.request.stream"));
            ReceivedSpan embeddings = assertSingle(byStart.get(5), "embeddings text-embedding-3-small");
            assertEquals(8L, embeddings.attribute("gen_ai.usage.input_tokens"));
            if (official) {
                assertToolRun(byStart.get(6), null, true);
            }
            assertMcpToolRun(byStart.get(official ? 7 : 6), official);

            int successfulTools = official ? 2 : 1;
            assertEquals(successfulTools, metrics.value("llmlens_tool_calls_total",
                    Map.of("gen_ai_tool_name", "add", "error_type", "")));
            assertEquals(1, metrics.value("llmlens_tool_calls_total",
                    Map.of("gen_ai_tool_name", "add", "error_type", "java.lang.IllegalStateException")));
            assertEquals(official ? 3 : 2, metrics.sum("llmlens_agent_runs_total", Map.of("gen_ai_agent_name", "Calculator")));
            assertEquals(1, metrics.sum("llmlens_agent_runs_total", Map.of("gen_ai_agent_name", "Assistant")));
            assertEquals(1, metrics.sum("llmlens_agent_runs_total", Map.of("gen_ai_agent_name", "WeatherDesk")));
            assertEquals(1, metrics.value("llmlens_tool_calls_total", Map.of("gen_ai_tool_name", "get_weather", "error_type", "")));
            // memory-id, plain and stream: three gpt-4o-mini calls, counted once each
            assertEquals(3 * 42, metrics.sum("llmlens_tokens_total",
                    Map.of("gen_ai_request_model", "gpt-4o-mini", "gen_ai_token_type", "input")));
            assertEquals(3 * 10, metrics.sum("llmlens_tokens_total",
                    Map.of("gen_ai_request_model", "gpt-4o-mini", "gen_ai_token_type", "cache_read")));
            assertEquals(3 * GPT_4O_MINI_CALL_COST, metrics.sum("llmlens_cost_usd_total",
                    Map.of("gen_ai_request_model", "gpt-4o-mini")), 1e-12);
            // every tool-loop round trip, the official module's included, counted once
            int toolLoopCalls = (official ? 4 : 3) * 2;
            assertEquals(toolLoopCalls * 42, metrics.sum("llmlens_tokens_total",
                    Map.of("gen_ai_request_model", MockOpenAiServer.MODEL_TOOL_CALLS, "gen_ai_token_type", "input")));
            List<String> stderr = app.stderr();
            assertEquals(0, stderr.stream().filter(l -> l.contains(" is off for ")).count(), app.describe());
            assertTrue(stderr.stream().anyMatch(l -> l.matches(".*instrumentations \\[[^]]*langchain4j[^]]*\\].*")),
                    app.describe());
        }
    }

    /** invoke_agent Calculator → chat, execute_tool add, chat: all children of the run, in that order. */
    private static void assertToolRun(List<ReceivedSpan> trace, String toolError, boolean viaOpenAiJava) {
        assertEquals(List.of("invoke_agent Calculator", "chat mock-tool-calls", "execute_tool add", "chat mock-tool-calls"),
                names(trace), describe(trace));
        ReceivedSpan run = trace.get(0);
        assertEquals("", run.parentSpanId(), "a root");
        assertEquals("INTERNAL", run.kind());
        for (ReceivedSpan child : trace.subList(1, 4)) {
            assertEquals(run.spanId(), child.parentSpanId(), child.name());
        }
        assertEquals("CLIENT", trace.get(1).kind());
        assertEquals(2L, run.attribute("llmlens.run.model_calls"));
        assertEquals(1L, run.attribute("llmlens.run.tool_calls"));
        assertEquals(84L, run.attribute("llmlens.run.input_tokens"));
        assertEquals(34L, run.attribute("llmlens.run.output_tokens"));
        assertEquals(LangChain4jScenarios.Calculator.class.getName() + ".ask", run.attribute("code.function.name"));
        ReceivedSpan tool = trace.get(2);
        assertEquals(toolError == null ? "UNSET" : "ERROR", tool.statusCode());
        assertEquals(toolError, tool.attribute("error.type"));
        assertEquals("function", tool.attribute("gen_ai.tool.type"));
        assertEquals("Calculator", tool.attribute("gen_ai.agent.name"));
        assertTrue(String.valueOf(tool.attribute("gen_ai.tool.call.id")).startsWith("call_mock_"));
        // the openai-java span carries its own API flavour; langchain4j's own client has none
        Object apiType = trace.get(1).attribute("openai.api.type");
        assertEquals(viaOpenAiJava ? "chat_completions" : null, apiType);
        assertEquals(List.of("tool_calls"), trace.get(1).attribute("gen_ai.response.finish_reasons"));
    }

    /**
     * invoke_agent WeatherDesk → chat, the tool, chat; the tool's execution on the MCP server (another
     * JVM) is in the same trace, under the client's tool span, whose traceparent langchain4j-mcp's request
     * carried. Lines with the tool dispatcher: one execute_tool span, the MCP call folded into it; 1.0,
     * whose AI services run a tool provider's executor with no hook of ours around it: the MCP CLIENT span.
     */
    private static void assertMcpToolRun(List<ReceivedSpan> trace, boolean dispatcherLine) {
        String toolSpan = dispatcherLine ? "execute_tool get_weather" : "tools/call get_weather";
        assertEquals(List.of("invoke_agent WeatherDesk", "chat mock-tool-calls", toolSpan, "tools/call get_weather",
                "chat mock-tool-calls"), names(trace), describe(trace));
        ReceivedSpan run = trace.get(0);
        ReceivedSpan tool = trace.get(2);
        ReceivedSpan server = trace.get(3);
        assertEquals("", run.parentSpanId(), "a root");
        for (int i : new int[] {1, 2, 4}) {
            assertEquals(run.spanId(), trace.get(i).parentSpanId(), trace.get(i).name());
            assertEquals("langchain4j-smoke", trace.get(i).resourceAttributes().get("service.name"));
        }
        assertEquals(dispatcherLine ? "INTERNAL" : "CLIENT", tool.kind());
        assertEquals("tools/call", tool.attribute("mcp.method.name"));
        assertEquals("get_weather", tool.attribute("gen_ai.tool.name"));
        assertEquals("function", tool.attribute("gen_ai.tool.type"));
        assertEquals("WeatherDesk", tool.attribute("gen_ai.agent.name"));
        assertTrue(String.valueOf(tool.attribute("gen_ai.tool.call.id")).startsWith("call_mock_"), describe(trace));
        assertEquals("UNSET", tool.statusCode());
        assertEquals("SERVER", server.kind());
        assertEquals("langchain4j-mcp-server", server.resourceAttributes().get("service.name"));
        assertEquals(tool.spanId(), server.parentSpanId(), "the server continues the client's tool span");
        assertEquals("tools/call", server.attribute("mcp.method.name"));
        assertEquals(1L, run.attribute("llmlens.run.tool_calls"));
        assertEquals(2L, run.attribute("llmlens.run.model_calls"));
    }

    private static ReceivedSpan assertSingle(List<ReceivedSpan> trace, String name) {
        assertEquals(List.of(name), names(trace), describe(trace));
        ReceivedSpan span = trace.get(0);
        assertEquals("openai", span.attribute("gen_ai.provider.name"));
        assertEquals("127.0.0.1", span.attribute("server.address"));
        assertEquals("", span.parentSpanId(), "no wrapper around a call without tools");
        return span;
    }

    private static List<String> names(List<ReceivedSpan> spans) {
        return spans.stream().map(ReceivedSpan::name).toList();
    }

    private static String describe(List<ReceivedSpan> spans) {
        return spans.stream().map(s -> s.traceId().substring(0, 8) + " " + s.name() + " " + s.spanId() + " <- "
                + s.parentSpanId()).collect(Collectors.joining("\n"));
    }

    private static List<String> agentArgs(int metricsPort) {
        return List.of("-javaagent:" + setting("agent.jar"),
                "-Dotel.service.name=langchain4j-smoke",
                "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(),
                "-Dotel.bsp.schedule.delay=100",
                "-Dllmlens.prometheus.host=127.0.0.1",
                "-Dllmlens.prometheus.port=" + metricsPort);
    }
}
