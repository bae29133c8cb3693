package dev.llmlens.agent.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.agent.config.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostBudgetsTest {

    private static CostBudgets from(Map<String, String> properties) {
        return CostBudgets.from(new Config(properties, Map.of()));
    }

    @Test
    void noAmountNoBudgetWhateverTheAction() {
        assertNull(from(Map.of()));
        assertNull(from(Map.of("llmlens.budget.action", "block")));
        assertNull(from(Map.of("llmlens.budget.run-usd", "-1")), "a negative budget is rejected, not applied");
    }

    @Test
    void warnIsTheDefaultAndABadActionFallsBackToIt() {
        assertFalse(from(Map.of("llmlens.budget.run-usd", "1")).blocks());
        assertFalse(from(Map.of("llmlens.budget.run-usd", "1", "llmlens.budget.action", "stop")).blocks());
        assertTrue(from(Map.of("llmlens.budget.run-usd", "1", "llmlens.budget.action", "BLOCK")).blocks());
    }

    @Test
    void aBudgetIsReportedSpentOnceWhenTheTotalReachesIt() {
        CostBudgets budgets = from(Map.of("llmlens.budget.run-usd", "1.0", "llmlens.budget.trace-usd", "1.5"));
        CostBudgets.Spend run = budgets.newRunSpend();
        CostBudgets.Spend trace = budgets.traceSpend("4bf92f3577b34da6a3ce929d0e0e4736");
        assertEquals(List.of(), budgets.spent(0.6, run, trace));
        List<CostBudgets.Crossing> crossed = budgets.spent(0.4, run, trace);
        assertEquals(List.of(new CostBudgets.Crossing(CostBudgets.Scope.RUN, 1.0, 1.0)), crossed, "reaching it spends it");
        assertEquals(CostBudgets.Scope.TRACE, budgets.spent(0.5, run, trace).get(0).scope());
        assertEquals(List.of(), budgets.spent(5.0, run, trace), "reported once");
        assertNull(budgets.refusal("Assistant", run, trace), "warn never refuses");
    }

    @Test
    void aTraceWithoutIdOrWithoutTraceBudgetIsNotTracked() {
        assertNull(from(Map.of("llmlens.budget.trace-usd", "1")).traceSpend(null));
        assertNull(from(Map.of("llmlens.budget.run-usd", "1")).traceSpend("4bf92f3577b34da6a3ce929d0e0e4736"));
    }
}
