package dev.llmlens.agent.budget;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.config.Config;
import dev.llmlens.bootstrap.BudgetExceededException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Cost budgets per agent run and per trace ({@code llmlens.budget.*}), tracked live as model calls
 * finish. Decides; the recorder turns decisions into span events, metrics and log lines.
 */
public final class CostBudgets {

    /** What a budget is spent on, with the key that sets it. */
    public enum Scope {
        RUN("run", "llmlens.budget.run-usd", "agent run"),
        TRACE("trace", "llmlens.budget.trace-usd", "trace");

        public final String label;
        public final String key;
        final String noun;

        Scope(String label, String key, String noun) {
            this.label = label;
            this.key = key;
            this.noun = noun;
        }
    }

    /** What one run or trace has spent so far, and whether its budget was already reported spent. */
    public static final class Spend {
        private final DoubleAdder usd = new DoubleAdder();
        private final AtomicBoolean exceeded = new AtomicBoolean();

        public double usd() {
            return usd.sum();
        }
    }

    /** A budget that the call just ended spent (reported once per run or trace). */
    public record Crossing(Scope scope, double limitUsd, double spentUsd) {}

    /** Traces are never "ended" from where we stand; the oldest ones are forgotten past this many. */
    static final int TRACES_TRACKED = 10_000;

    private final Double runUsd;
    private final Double traceUsd;
    private final boolean block;
    private final Map<String, Spend> traces = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Spend> eldest) {
            return size() > TRACES_TRACKED;
        }
    };

    CostBudgets(Double runUsd, Double traceUsd, boolean block) {
        this.runUsd = runUsd;
        this.traceUsd = traceUsd;
        this.block = block;
    }

    /** @return the configured budgets, or null when none is set */
    public static CostBudgets from(Config config) {
        Double run = config.getDouble(Scope.RUN.key, null, 0, Double.MAX_VALUE);
        Double trace = config.getDouble(Scope.TRACE.key, null, 0, Double.MAX_VALUE);
        String action = config.getString("llmlens.budget.action", "warn").toLowerCase(Locale.ROOT);
        if (!action.equals("warn") && !action.equals("block")) {
            AgentLog.warn("Ignoring llmlens.budget.action=" + action + " (expected warn or block); using warn."
                    + " Set it as -Dllmlens.budget.action or LLMLENS_BUDGET_ACTION.");
            action = "warn";
        }
        if (run == null && trace == null) {
            if (action.equals("block")) {
                AgentLog.warn("llmlens.budget.action=block has no effect: neither llmlens.budget.run-usd nor"
                        + " llmlens.budget.trace-usd is set.");
            }
            return null;
        }
        return new CostBudgets(run, trace, action.equals("block"));
    }

    public boolean blocks() {
        return block;
    }

    public String action() {
        return block ? "block" : "warn";
    }

    /** A new run's spend (a run's totals hold it, so it lives exactly as long as the run). */
    public Spend newRunSpend() {
        return new Spend();
    }

    /** @return the trace's spend when a trace budget is set and the trace id is known, else null */
    public Spend traceSpend(String traceId) {
        if (traceUsd == null || traceId == null) {
            return null;
        }
        synchronized (traces) {
            return traces.computeIfAbsent(traceId, id -> new Spend());
        }
    }

    /**
     * A priced model call ended inside {@code run} (may be null) and {@code trace} (may be null).
     * @return the budgets it spent, the first time each is spent
     */
    public List<Crossing> spent(double costUsd, Spend run, Spend trace) {
        List<Crossing> crossings = new ArrayList<>(0);
        add(Scope.RUN, runUsd, run, costUsd, crossings);
        add(Scope.TRACE, traceUsd, trace, costUsd, crossings);
        return crossings;
    }

    private static void add(Scope scope, Double limit, Spend spend, double costUsd, List<Crossing> crossings) {
        if (limit == null || spend == null) {
            return;
        }
        spend.usd.add(costUsd);
        double spent = spend.usd();
        if (spent >= limit && spend.exceeded.compareAndSet(false, true)) {
            crossings.add(new Crossing(scope, limit, spent));
        }
    }

    /**
     * @return the exception that replaces a model call about to start, when {@code block} is on and its
     *     run or trace has spent its budget; null to let the call go
     */
    public BudgetExceededException refusal(String agentName, Spend run, Spend trace) {
        if (!block) {
            return null;
        }
        if (runUsd != null && run != null && run.usd() >= runUsd) {
            return exceeded(Scope.RUN, "agent run " + (agentName == null ? "" : "'" + agentName + "' "), runUsd, run.usd());
        }
        if (traceUsd != null && trace != null && trace.usd() >= traceUsd) {
            return exceeded(Scope.TRACE, "this trace ", traceUsd, trace.usd());
        }
        return null;
    }

    private static BudgetExceededException exceeded(Scope scope, String who, double limit, double spent) {
        return new BudgetExceededException(String.format(Locale.ROOT,
                "llm-lens blocked this model call before sending it: %shas spent $%.6f of its $%.6f budget (%s)."
                        + " Raise %s, or set llmlens.budget.action=warn to only warn.",
                who, spent, limit, scope.key, scope.key));
    }

    public String describe() {
        return (runUsd == null ? "" : "run $" + runUsd + " ") + (traceUsd == null ? "" : "trace $" + traceUsd + " ")
                + "(" + action() + ")";
    }
}
