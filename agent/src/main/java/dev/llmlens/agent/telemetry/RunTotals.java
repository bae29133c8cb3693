package dev.llmlens.agent.telemetry;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one agent run has used so far. Model calls and tools inside the run add to it as they end,
 * possibly on other threads (streams, futures), so every field is a concurrent adder.
 */
public final class RunTotals {

    final String agentName;
    private final LongAdder modelCalls = new LongAdder();
    private final LongAdder toolCalls = new LongAdder();
    private final LongAdder inputTokens = new LongAdder();
    private final LongAdder outputTokens = new LongAdder();
    private final LongAdder pricedCalls = new LongAdder();
    private final DoubleAdder costUsd = new DoubleAdder();

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

    void addToolCall() {
        toolCalls.increment();
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
