package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.smoke.app.AgentLoopApp;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.harness.SmokeRun;
import dev.llmlens.smoke.mock.MockOpenAiServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedEvent;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A runaway LangChain4j agent (the mock model asks for the same tool call eight times) and a plain
 * tool method called 200 times, with the packaged agent attached: untouched without a budget, warned
 * about under {@code llmlens.budget.action=warn}, stopped before the next request under {@code block};
 * fault injection off unless enabled, and at its configured rates (fixed seed) when it is.
 */
class BudgetAndChaosIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The mock's usage (42 input, 10 of them cached, 17 output) at the test's price of $1000 per 1M tokens. */
    private static final double LOOP_CALL_COST = (42 + 17) * 1000 / 1e6;
    private static final double RUN_BUDGET = 0.15;
    private static final int ROUNDS = MockOpenAiServer.TOOL_LOOP_ROUNDS;

    private static MockOpenAiServer mock;
    private static OtlpReceiver otlp;
    private static Path prices;

    @BeforeAll
    static void startBackends() throws Exception {
        mock = new MockOpenAiServer().start();
        otlp = new OtlpReceiver().start();
        prices = Files.createTempFile("llmlens-prices", ".json");
        Files.writeString(prices, """
                {"date": "2026-11-22", "models": [{"providers": ["openai"], "model": "mock-tool-loop",
                  "input": 1000, "output": 1000, "source": "test price"}]}""");
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
    void withoutBudgetOrEnabledChaosTheLoopRunsItsCourseAndIsReportedAsALoop() throws Exception {
        // content capture rides along: a framework's tool loop, end to end
        Run run = run(List.of("-Dllmlens.chaos.tools=probe", "-Dllmlens.chaos.failure-rate=1.0",
                "-Dllmlens.capture-content=true"), 1 + (ROUNDS + 1) + ROUNDS + AgentLoopApp.PROBES);

        assertTrue(run.line("loop: ").startsWith("loop: ") && !run.line("loop: ").contains("failed"), run.app.describe());
        assertEquals("probes: 0 failed []", run.line("probes: "));
        assertEquals(ROUNDS + 1, mock.requestCount());
        assertEquals(1, run.stderrCount("Fault injection is off: llmlens.chaos.tools is set but llmlens.chaos.enabled"
                + " is not true"), run.app.describe());
        assertEquals(0, run.metrics.find("llmlens_budget_exceeded_total", Map.of()).size());
        assertEquals(0, run.metrics.find("llmlens_chaos_injected_total", Map.of()).size());
        ReceivedSpan agentRun = run.only("invoke_agent Stockroom");
        assertEquals("UNSET", agentRun.statusCode());
        assertEquals((long) ROUNDS + 1, agentRun.attribute("llmlens.run.model_calls"));
        assertEquals((ROUNDS + 1) * LOOP_CALL_COST, (Double) agentRun.attribute("llmlens.run.cost_usd"), 1e-9);
        // the same call with the same arguments, again and again: reported once, at the threshold (5)
        assertEquals(1, events(agentRun, "llmlens.loop_detected").size());
        assertEquals(1, run.metrics.value("llmlens_loop_detected_total",
                Map.of("gen_ai_agent_name", "Stockroom", "gen_ai_tool_name", "stock")));

        ReceivedSpan firstStock = run.named("execute_tool stock").get(0);
        assertEquals("{\"item\":\"mock\"}", firstStock.attribute("gen_ai.tool.call.arguments"));
        assertEquals("3", firstStock.attribute("gen_ai.tool.call.result"));
        List<ReceivedSpan> chats = run.named("chat mock-tool-loop");
        String callId = (String) firstStock.attribute("gen_ai.tool.call.id");
        assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"How many widgets are in stock?\"}]}]",
                chats.get(0).attribute("gen_ai.input.messages"));
        assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"" + callId
                + "\",\"name\":\"stock\",\"arguments\":{\"item\":\"mock\"}}],\"finish_reason\":\"tool_call\"}]",
                chats.get(0).attribute("gen_ai.output.messages"));
        assertTrue(String.valueOf(chats.get(0).attribute("gen_ai.tool.definitions"))
                .startsWith("[{\"type\":\"function\",\"name\":\"stock\",\"description\":\"Counts the items of a kind in stock\""));
        // the second round trip sends the tool's result back
        assertTrue(String.valueOf(chats.get(1).attribute("gen_ai.input.messages")).endsWith(
                "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"" + callId + "\",\"response\":3}]}]"),
                String.valueOf(chats.get(1).attribute("gen_ai.input.messages")));
        assertTrue(run.named("execute_tool probe").stream().allMatch(s -> s.attribute("gen_ai.tool.call.result") != null));
    }

    @Test
    void warnReportsTheSpentBudgetOnceAndChaosInjectsAtItsRates() throws Exception {
        Run run = run(List.of("-Dllmlens.budget.run-usd=" + RUN_BUDGET,
                "-Dllmlens.chaos.enabled=true", "-Dllmlens.chaos.tools=pro*,stock", "-Dllmlens.chaos.failure-rate=0.3",
                "-Dllmlens.chaos.latency-ms=2", "-Dllmlens.chaos.latency-rate=0.5", "-Dllmlens.chaos.seed=42"),
                1 + (ROUNDS + 1) + ROUNDS + AgentLoopApp.PROBES);

        assertTrue(!run.line("loop: ").contains("failed"), run.app.describe());
        assertEquals(ROUNDS + 1, mock.requestCount(), "warn never stops a call");
        ReceivedSpan agentRun = run.only("invoke_agent Stockroom");
        List<ReceivedEvent> spent = events(agentRun, "llmlens.budget_exceeded");
        assertEquals(1, spent.size(), OtlpReceiver.tree(run.spans));
        assertEquals("run", spent.get(0).attributes().get("llmlens.budget.scope"));
        assertEquals("warn", spent.get(0).attributes().get("llmlens.budget.action"));
        assertEquals(RUN_BUDGET, (Double) spent.get(0).attributes().get("llmlens.budget.limit_usd"), 1e-12);
        assertEquals(3 * LOOP_CALL_COST, (Double) spent.get(0).attributes().get("llmlens.budget.spent_usd"), 1e-9);
        // the third model call is the one that spent it
        List<ReceivedSpan> chats = run.named("chat mock-tool-loop");
        assertEquals(1, events(chats.get(2), "llmlens.budget_exceeded").size());
        assertEquals(0, chats.stream().filter(c -> c != chats.get(2)).mapToInt(c -> events(c, "llmlens.budget_exceeded").size()).sum());
        assertEquals(1, run.metrics.value("llmlens_budget_exceeded_total",
                Map.of("llmlens_budget", "run", "action", "warn", "gen_ai_agent_name", "Stockroom")));
        assertEquals(1, run.stderrCount("Cost budget spent: agent run of agent Stockroom has cost $0.177000, budget $0.150000"),
                run.app.describe());

        // fault injection: only the tools it names, at its rates, each fault a span event and a count
        assertEquals(1, run.stderrCount("Fault injection is ON (llmlens.chaos.enabled=true): tools pro*,stock fail at rate 0.300"));
        // under LangChain4j the failure comes from the tool's code, inside the framework's error handling:
        // the model is told the tool failed and the run goes on, as with a real failing tool
        List<ReceivedSpan> stock = run.named("execute_tool stock");
        List<ReceivedSpan> stockFailed = stock.stream().filter(s -> "ERROR".equals(s.statusCode())).toList();
        assertEquals(ROUNDS, stock.size());
        assertTrue(stockFailed.size() > 0 && stockFailed.size() < ROUNDS, "seed 42 fails some, not all: " + stockFailed.size());
        assertTrue(stockFailed.stream().allMatch(s -> "dev.llmlens.bootstrap.InjectedToolFailure".equals(s.attribute("error.type"))
                && events(s, "llmlens.chaos_injected").stream().anyMatch(e -> "failure".equals(e.attributes().get("llmlens.chaos.fault")))));
        assertEquals(stockFailed.size(), run.metrics.value("llmlens_chaos_injected_total",
                Map.of("gen_ai_tool_name", "stock", "fault", "failure")));
        List<ReceivedSpan> probes = run.named("execute_tool probe");
        List<ReceivedSpan> failed = probes.stream().filter(s -> "ERROR".equals(s.statusCode())).toList();
        int failures = failed.size();
        assertEquals("probes: " + failures + " failed [dev.llmlens.bootstrap.InjectedToolFailure]", run.line("probes: "));
        // binomial(200, 0.3): mean 60, sd 6.5; the seed fixes the draw, the bounds say it is the configured rate
        assertTrue(Math.abs(failures - 60) <= 26, "failures " + failures);
        for (ReceivedSpan span : failed) {
            assertEquals("dev.llmlens.bootstrap.InjectedToolFailure", span.attribute("error.type"));
            assertEquals(1, events(span, "llmlens.chaos_injected").stream()
                    .filter(e -> "failure".equals(e.attributes().get("llmlens.chaos.fault"))).count());
        }
        List<ReceivedSpan> delayed = probes.stream().filter(s -> events(s, "llmlens.chaos_injected").stream()
                .anyMatch(e -> "latency".equals(e.attributes().get("llmlens.chaos.fault")))).toList();
        assertTrue(Math.abs(delayed.size() - 100) <= 29, "delayed " + delayed.size());
        assertTrue(delayed.stream().allMatch(s -> s.durationNanos() >= 2_000_000), "a delayed tool took its 2 ms");
        System.out.println("BudgetAndChaosIT chaos: probe failures " + failures + "/" + AgentLoopApp.PROBES + ", delays "
                + delayed.size() + "/" + AgentLoopApp.PROBES + "; stock failures " + stockFailed.size() + "/" + ROUNDS);
        assertEquals(failures, run.metrics.value("llmlens_chaos_injected_total",
                Map.of("gen_ai_tool_name", "probe", "fault", "failure")));
        assertEquals(delayed.size(), run.metrics.value("llmlens_chaos_injected_total",
                Map.of("gen_ai_tool_name", "probe", "fault", "latency")));
    }

    @Test
    void blockStopsTheRunBeforeTheNextRequestWithAClearError() throws Exception {
        Run run = run(List.of("-Dllmlens.budget.run-usd=" + RUN_BUDGET, "-Dllmlens.budget.action=block"),
                1 + 4 + 3 + AgentLoopApp.PROBES);

        String loop = run.line("loop: ");
        assertTrue(loop.startsWith("loop: failed with dev.llmlens.bootstrap.BudgetExceededException: llm-lens blocked"
                + " this model call before sending it: agent run 'Stockroom' has spent $0.177000 of its $0.150000 budget"
                + " (llmlens.budget.run-usd). Raise llmlens.budget.run-usd, or set llmlens.budget.action=warn"), loop);
        assertEquals(3, mock.requestCount(), () -> "the fourth call was never sent\n" + OtlpReceiver.tree(run.spans)
                + run.app.describe());
        List<ReceivedSpan> chats = run.named("chat mock-tool-loop");
        assertEquals(4, chats.size(), OtlpReceiver.tree(run.spans));
        ReceivedSpan blocked = chats.get(3);
        assertEquals("ERROR", blocked.statusCode());
        assertEquals("dev.llmlens.bootstrap.BudgetExceededException", blocked.attribute("error.type"));
        assertEquals(null, blocked.attribute("gen_ai.usage.input_tokens"));
        assertEquals(3, run.named("execute_tool stock").size());
        ReceivedSpan agentRun = run.only("invoke_agent Stockroom");
        assertEquals("ERROR", agentRun.statusCode());
        assertEquals(agentRun.spanId(), blocked.parentSpanId());
        assertEquals(1, events(agentRun, "llmlens.budget_exceeded").size());
        assertEquals(1, run.metrics.value("llmlens_budget_exceeded_total",
                Map.of("llmlens_budget", "run", "action", "block", "gen_ai_agent_name", "Stockroom")));
        assertEquals("probes: 0 failed []", run.line("probes: "), "no fault injection configured");
    }

    private record Run(AppProcess app, List<ReceivedSpan> spans, PrometheusText metrics) {
        String line(String prefix) {
            return app.stdout().stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no " + prefix + ")");
        }

        long stderrCount(String text) {
            return app.stderr().stream().filter(l -> l.contains(text)).count();
        }

        List<ReceivedSpan> named(String name) {
            return spans.stream().filter(s -> s.name().equals(name))
                    .sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
        }

        ReceivedSpan only(String name) {
            List<ReceivedSpan> found = named(name);
            assertEquals(1, found.size(), OtlpReceiver.tree(spans));
            return found.get(0);
        }
    }

    private static List<ReceivedEvent> events(ReceivedSpan span, String name) {
        return span.events().stream().filter(e -> e.name().equals(name)).toList();
    }

    private static Run run(List<String> settings, int expectedSpans) throws Exception {
        int metricsPort = SmokeRun.freePort();
        List<String> args = new ArrayList<>(List.of("-javaagent:" + setting("agent.jar"),
                "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(), "-Dotel.bsp.schedule.delay=100",
                "-Dllmlens.prometheus.host=127.0.0.1", "-Dllmlens.prometheus.port=" + metricsPort,
                "-Dllmlens.pricing.file=" + prices,
                "-Dllmlens.tools.methods=" + AgentLoopApp.Probe.class.getName() + "#probe"));
        args.addAll(settings);
        AppProcess app = AppProcess.start(System.getProperty("java.home"), args, appClasspath(),
                AgentLoopApp.class.getName(), mock.baseUrl());
        try {
            app.awaitStderr("[llm-lens] INFO llm-lens ", TIMEOUT);
            app.send("go");
            app.awaitScenariosDone(TIMEOUT);
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= expectedSpans, TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            assertEquals(0, app.stop(TIMEOUT));
            assertEquals(expectedSpans, spans.size(), OtlpReceiver.tree(spans));
            return new Run(app, spans, metrics);
        } finally {
            app.close();
        }
    }
}
