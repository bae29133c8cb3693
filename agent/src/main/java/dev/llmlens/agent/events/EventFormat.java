package dev.llmlens.agent.events;

import static dev.llmlens.agent.events.JsonLine.count;
import static dev.llmlens.agent.events.JsonLine.field;
import static dev.llmlens.agent.events.JsonLine.number;

import dev.llmlens.agent.telemetry.GenAiAttributes;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.Operation;
import dev.llmlens.bootstrap.ToolCall;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line, flat, with the names of the span attributes where one exists, so a log
 * query and a trace query read the same. Field order is fixed: people grep these.
 */
public final class EventFormat implements LineFormat {

    static final String MODEL_CALL = "llmlens.model_call";
    static final String TOOL_CALL = "llmlens.tool_call";
    static final String AGENT_RUN = "llmlens.agent_run";

    private final String serviceName;

    public EventFormat(String serviceName) {
        this.serviceName = serviceName;
    }

    @Override
    public void append(StringBuilder out, Event event) {
        Operation operation = event.operation();
        String errorType = GenAiAttributes.errorType(operation);
        long endEpochNanos = operation.startEpochNanos + (operation.endNanos - operation.startNanos);
        out.append('{');
        field(out, "timestamp", Instant.ofEpochSecond(0, endEpochNanos).toString());
        field(out, "level", errorType == null ? "INFO" : "ERROR");
        field(out, "event", operation instanceof InferenceCall ? MODEL_CALL
                : operation instanceof ToolCall ? TOOL_CALL : AGENT_RUN);
        field(out, "trace_id", event.traceId());
        field(out, "span_id", event.spanId());
        field(out, "service", serviceName);
        if (operation instanceof InferenceCall call) {
            field(out, "operation", call.operation);
            field(out, "provider", call.provider);
            field(out, "request_model", call.requestModel);
            field(out, "model", call.responseModel != null ? call.responseModel : call.requestModel);
            count(out, "input_tokens", call.inputTokens);
            count(out, "output_tokens", call.outputTokens);
            count(out, "cache_read_tokens", call.cacheReadTokens);
            count(out, "cache_write_tokens", call.cacheWriteTokens);
            count(out, "reasoning_tokens", call.reasoningTokens);
            number(out, "cost_usd", event.costUsd());
            if (call.stream && call.firstChunkNanos > 0) {
                number(out, "time_to_first_chunk_ms", (call.firstChunkNanos - call.startNanos) / 1e6);
            }
            field(out, "agent_name", event.agentName());
        } else if (operation instanceof ToolCall tool) {
            field(out, "tool_name", tool.toolName);
            field(out, "tool_call_id", tool.toolCallId);
            field(out, "agent_name", event.agentName());
        } else if (operation instanceof AgentRun run) {
            field(out, "agent_name", run.agentName);
            field(out, "conversation_id", run.conversationId);
            long[] totals = event.runTotals();
            if (totals != null) {
                count(out, "model_calls", totals[0]);
                count(out, "tool_calls", totals[1]);
                count(out, "input_tokens", totals[2]);
                count(out, "output_tokens", totals[3]);
            }
            number(out, "cost_usd", event.costUsd());
        }
        number(out, "duration_ms", (operation.endNanos - operation.startNanos) / 1e6);
        boolean incomplete = operation instanceof InferenceCall call && call.incomplete;
        field(out, "status", errorType != null ? "error" : incomplete ? "incomplete" : "ok");
        field(out, "error_type", errorType);
        if (event.baggage() != null) {
            for (Map.Entry<String, String> entry : event.baggage().entrySet()) {
                field(out, entry.getKey(), entry.getValue());
            }
        }
        JsonLine.close(out);
    }
}
