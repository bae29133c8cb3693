package dev.llmlens.agent.events;

import dev.llmlens.bootstrap.Operation;
import java.util.Map;

/**
 * A finished operation waiting to become a line: everything the line needs that is not on the
 * operation itself. Formatting happens on the writer thread, not the app's.
 *
 * @param costUsd the model call's (or the run's) cost, null when unknown
 * @param agentName the enclosing run's agent, for tools and model calls inside a run
 * @param runTotals for an agent run: model_calls, tool_calls, input_tokens, output_tokens
 * @param baggage W3C baggage entries the app had in its context, as configured
 */
public record Event(Operation operation, String traceId, String spanId, Double costUsd, String agentName,
                    long[] runTotals, Map<String, String> baggage) {}
