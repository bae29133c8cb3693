package dev.llmlens.agent.telemetry;

import static dev.llmlens.agent.telemetry.RecorderFixture.openAiChat;
import static dev.llmlens.agent.telemetry.RecorderFixture.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.agent.budget.CostBudgets;
import dev.llmlens.agent.chaos.ToolChaos;
import dev.llmlens.agent.config.Config;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.BudgetExceededException;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.InjectedToolFailure;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cost budgets and fault injection as the recorder applies them: live totals, once-only reports, a
 * refusal only where the hook can honour it (the gate's window), and nothing at all when unset.
 */
class PoliciesRecorderTest {

    /** The fixture's gpt-4o-mini usage costs $0.0015: a $0.0025 budget is spent by the second call. */
    private static final double BUDGET = 0.0025;

    private RecorderFixture fixture;

    @AfterEach
    void close() {
        LlmLens.allowRefusals(false);
        fixture.close();
    }

    private void policies(String... keyValues) {
        Map<String, String> properties = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        Config config = new Config(properties, Map.of());
        fixture = new RecorderFixture(new CallRecorder.Policies(CallRecorder.DEFAULT_LOOP_THRESHOLD,
                CostBudgets.from(config), ToolChaos.from(config)));
        LlmLens.allowRefusals(true);
    }

    /** Starts a priced model call inside the gate's window, as a gated hook does; @return its refusal */
    private static RuntimeException modelCall(boolean gated) {
        InferenceCall call = openAiChat("gpt-4o-mini");
        if (gated) {
            LlmLens.openRefusalWindow();
        }
        LlmLens.start(call);
        RuntimeException refusal = LlmLens.takeRefusal();
        if (refusal == null) {
            usage(call);
        }
        LlmLens.end(call, refusal);
        return refusal;
    }

    private List<EventData> events(String spanName, String event) {
        return fixture.spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(spanName))
                .flatMap(s -> s.getEvents().stream()).filter(e -> e.getName().equals(event)).toList();
    }

    @Test
    void warnReportsTheSpentRunBudgetOnceAndNeverRefuses() {
        policies("llmlens.budget.run-usd", String.valueOf(BUDGET));
        AgentRun run = new AgentRun("test", "Assistant");
        LlmLens.start(run);
        for (int i = 0; i < 4; i++) {
            assertNull(modelCall(true));
        }
        LlmLens.end(run);

        List<EventData> onRun = events("invoke_agent Assistant", GenAiAttributes.BUDGET_EXCEEDED_EVENT);
        assertEquals(1, onRun.size());
        assertEquals("run", onRun.get(0).getAttributes().get(GenAiAttributes.BUDGET_SCOPE));
        assertEquals("warn", onRun.get(0).getAttributes().get(GenAiAttributes.BUDGET_ACTION));
        assertEquals(2 * CallRecorderTest.GPT_4O_MINI_COST, onRun.get(0).getAttributes().get(GenAiAttributes.BUDGET_SPENT), 1e-12);
        assertEquals(1, events("chat gpt-4o-mini", GenAiAttributes.BUDGET_EXCEEDED_EVENT).size(), "the second call spent it");
        fixture.scrape().assertValue(1, "llmlens_budget_exceeded_total",
                Map.of("llmlens_budget", "run", "action", "warn", "gen_ai_agent_name", "Assistant"));
    }

    @Test
    void blockRefusesTheNextGatedCallOfThatRunOnly() {
        policies("llmlens.budget.run-usd", String.valueOf(BUDGET), "llmlens.budget.action", "block");
        AgentRun spender = new AgentRun("test", "Assistant");
        LlmLens.start(spender);
        assertNull(modelCall(true));
        assertNull(modelCall(true));
        RuntimeException refused = modelCall(true);
        assertInstanceOf(BudgetExceededException.class, refused);
        assertTrue(refused.getMessage().contains("agent run 'Assistant' has spent $0.003000 of its $0.002500 budget"
                + " (llmlens.budget.run-usd)"), refused.getMessage());
        assertNull(modelCall(false), "a hook that cannot stop its method is never refused");
        LlmLens.end(spender);

        AgentRun next = new AgentRun("test", "Assistant");
        LlmLens.start(next);
        assertNull(modelCall(true), "a new run has its own budget");
        LlmLens.end(next);

        SpanData blocked = fixture.spans.getFinishedSpanItems().stream()
                .filter(s -> "dev.llmlens.bootstrap.BudgetExceededException".equals(s.getAttributes().get(GenAiAttributes.ERROR_TYPE)))
                .findFirst().orElseThrow();
        assertEquals("chat gpt-4o-mini", blocked.getName());
        fixture.scrape().assertValue(1, "llmlens_budget_exceeded_total",
                Map.of("llmlens_budget", "run", "action", "block", "gen_ai_agent_name", "Assistant"));
    }

    @Test
    void aTraceBudgetCountsEveryRunInTheTrace() {
        policies("llmlens.budget.trace-usd", String.valueOf(BUDGET), "llmlens.budget.action", "block");
        Span request = fixture.tracerProvider.get("app").spanBuilder("GET /answer").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            AgentRun first = new AgentRun("test", "Planner");
            LlmLens.start(first);
            assertNull(modelCall(true));
            assertNull(modelCall(true));
            LlmLens.end(first);
            AgentRun second = new AgentRun("test", "Writer");
            LlmLens.start(second);
            RuntimeException refused = modelCall(true);
            LlmLens.end(second);
            assertTrue(refused.getMessage().contains("this trace has spent $0.003000 of its $0.002500 budget"
                    + " (llmlens.budget.trace-usd)"), refused.getMessage());
        } finally {
            request.end();
        }
        assertNull(modelCall(true), "another trace starts from zero");
        fixture.scrape().assertValue(1, "llmlens_budget_exceeded_total",
                Map.of("llmlens_budget", "trace", "action", "block", "gen_ai_agent_name", "Planner"));
    }

    @Test
    void withoutABudgetNothingIsTrackedOrRefused() {
        policies();
        AgentRun run = new AgentRun("test", "Assistant");
        LlmLens.start(run);
        for (int i = 0; i < 5; i++) {
            assertNull(modelCall(true));
        }
        LlmLens.end(run);
        assertEquals(List.of(), fixture.scrape().find("llmlens_budget_exceeded_total", Map.of()));
    }

    @Test
    void chaosFailsOnlyTheNamedToolsItCanStopAndDelaysThem() {
        policies("llmlens.chaos.enabled", "true", "llmlens.chaos.tools", "search*", "llmlens.chaos.failure-rate", "1",
                "llmlens.chaos.latency-ms", "1");
        ToolCall search = new ToolCall("test", "search_orders");
        LlmLens.openRefusalWindow();
        LlmLens.start(search);
        RuntimeException failure = LlmLens.takeRefusal();
        LlmLens.end(search, failure);
        assertInstanceOf(InjectedToolFailure.class, failure);
        assertTrue(search.endNanos - search.startNanos >= 1_000_000, "the latency is on the tool's own time");

        ToolCall ungated = new ToolCall("test", "search_orders");
        LlmLens.start(ungated);
        assertNull(ungated.refusal, "outside a gate only latency is injected");
        LlmLens.end(ungated);

        ToolCall other = new ToolCall("test", "refund");
        LlmLens.openRefusalWindow();
        LlmLens.start(other);
        assertNull(LlmLens.takeRefusal());
        LlmLens.end(other);

        // a framework's dispatch: the failure is thrown by the tool's own code inside it, if it is hooked
        ToolCall dispatch = new ToolCall("framework", "search_orders");
        dispatch.dispatcher = true;
        LlmLens.openRefusalWindow();
        LlmLens.start(dispatch);
        assertNull(LlmLens.takeRefusal(), "the dispatcher's own error handling must see the failure");
        ToolCall code = new ToolCall("annotations", "search_orders");
        LlmLens.openRefusalWindow();
        LlmLens.start(code);
        RuntimeException thrownByCode = LlmLens.takeRefusal();
        assertInstanceOf(InjectedToolFailure.class, thrownByCode);
        LlmLens.end(code, thrownByCode);
        LlmLens.end(dispatch, thrownByCode);

        ToolCall lambda = new ToolCall("framework", "search_orders"); // a dispatch with no hooked code inside
        lambda.dispatcher = true;
        LlmLens.openRefusalWindow();
        LlmLens.start(lambda);
        assertNull(LlmLens.takeRefusal());
        LlmLens.end(lambda);

        assertEquals(6, events("execute_tool search_orders", GenAiAttributes.CHAOS_EVENT).size(),
                "4 latency, 2 failures actually thrown, none for the lambda's undelivered one");
        assertEquals(List.of(), events("execute_tool refund", GenAiAttributes.CHAOS_EVENT));
        PrometheusScrape scrape = fixture.scrape();
        scrape.assertValue(2, "llmlens_chaos_injected_total", Map.of("gen_ai_tool_name", "search_orders", "fault", "failure"));
        scrape.assertValue(4, "llmlens_chaos_injected_total", Map.of("gen_ai_tool_name", "search_orders", "fault", "latency"));
    }
}
