package dev.llmlens.agent.telemetry;

import dev.llmlens.agent.budget.CostBudgets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one agent run has used so far. Model calls and tools inside the run add to it as they end,
 * possibly on other threads (streams, futures), so every field is a concurrent adder.
 */
public final class RunTotals {

    final String agentName;
    /** The run's own span, for events about the run as a whole (a loop inside it). */
    volatile io.opentelemetry.api.trace.Span span;
    private final LongAdder modelCalls = new LongAdder();
    private final LongAdder toolCalls = new LongAdder();
    private final LongAdder inputTokens = new LongAdder();
    private final LongAdder outputTokens = new LongAdder();
    private final LongAdder pricedCalls = new LongAdder();
    private final DoubleAdder costUsd = new DoubleAdder();
    private final Map<String, Integer> sameCalls = new ConcurrentHashMap<>();
    private volatile CostBudgets.Spend budgetSpend;

    RunTotals(String agentName) {
        this.agentName = agentName;
    }

    void addModelCall(long input, long output, Double cost) {
        modelCalls.increment();
        inputTokens.add(Math.max(0, input));
        outputTokens.add(Math.max(0, output));
        if (cost != null) {
            pricedCalls.increment();
            costUsd.add(cost);
        }
    }

    /**
     * @return how many times this run has now called this tool with exactly these arguments, or 0 when
     *     the arguments are unknown (then nothing can be said about a loop)
     */
    int addToolCall(String toolName, String arguments) {
        toolCalls.increment();
        if (arguments == null) {
            return 0;
        }
        // a digest, not the arguments: a long loop must not keep every payload alive
        String key = toolName + '\u0000' + arguments.length() + ':' + arguments.hashCode();
        return sameCalls.merge(key, 1, Integer::sum);
    }

    /** What this run has spent against the run budget: created with the run's first priced call. */
    CostBudgets.Spend budgetSpend(CostBudgets budgets) {
        CostBudgets.Spend spend = budgetSpend;
        if (spend == null) {
            synchronized (this) {
                if (budgetSpend == null) {
                    budgetSpend = budgets.newRunSpend();
                }
                spend = budgetSpend;
            }
        }
        return spend;
    }

    public long modelCalls() {
        return modelCalls.sum();
    }

    public long toolCalls() {
        return toolCalls.sum();
    }

    public long inputTokens() {
        return inputTokens.sum();
    }

    public long outputTokens() {
        return outputTokens.sum();
    }

    public long pricedCalls() {
        return pricedCalls.sum();
    }

    public double costUsd() {
        return costUsd.sum();
    }
}
