package dev.llmlens.agent.audit;

import static dev.llmlens.agent.events.JsonLine.count;
import static dev.llmlens.agent.events.JsonLine.field;
import static dev.llmlens.agent.events.JsonLine.number;

import dev.llmlens.agent.events.Event;
import dev.llmlens.agent.events.LineFormat;
import dev.llmlens.agent.telemetry.GenAiAttributes;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.Operation;
import dev.llmlens.bootstrap.ToolCall;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The audit trail ({@code llmlens.audit.file}): what tools the agent ran and what each run did, as
 * append-only, hash-chained JSON lines. Each JVM start begins a segment whose first line names the
 * previous segment's last hash; lost events (a full queue) are a line of their own, not a silent gap.
 */
public final class AuditFormat implements LineFormat {

    private final AuditChain chain;
    private long seq;
    private String prev;
    private String pendingSegmentStart;

    /** Reads the file's last line to continue its chain, and prepares this segment's first line. */
    public AuditFormat(Path file, AuditChain chain) throws IOException {
        this.chain = chain;
        String last = AuditChain.lastLine(file);
        long lastSeq = last == null ? 0 : AuditChain.seq(last);
        String lastHash = last == null ? null : AuditChain.stringField(last, "hash", last.length());
        if (last != null && (lastSeq < 0 || lastHash == null)) {
            throw new IOException("its last line is not an llm-lens audit line; start a new file");
        }
        this.seq = lastSeq;
        this.prev = last == null ? AuditChain.GENESIS : lastHash;
        StringBuilder start = new StringBuilder(256);
        begin(start, "segment_start", System.currentTimeMillis() * 1_000_000L);
        field(start, "previous_segment_last_hash", last == null ? "" : lastHash);
        count(start, "pid", ProcessHandle.current().pid());
        field(start, "mac", chain.algorithm());
        this.pendingSegmentStart = seal(start);
    }

    @Override
    public void append(StringBuilder line, Event event) {
        if (pendingSegmentStart != null) {
            line.append(pendingSegmentStart).append('\n');
            pendingSegmentStart = null;
        }
        Operation operation = event.operation();
        long endEpochNanos = operation.startEpochNanos + (operation.endNanos - operation.startNanos);
        String errorType = GenAiAttributes.errorType(operation);
        int from = line.length();
        begin(line, operation instanceof ToolCall ? "tool_call" : "agent_run", endEpochNanos);
        field(line, "trace_id", event.traceId());
        field(line, "span_id", event.spanId());
        if (operation instanceof ToolCall tool) {
            field(line, "tool_name", tool.toolName);
            field(line, "tool_call_id", tool.toolCallId);
            field(line, "agent_name", event.agentName());
        } else if (operation instanceof AgentRun run) {
            field(line, "agent_name", run.agentName);
            long[] totals = event.runTotals();
            if (totals != null) {
                count(line, "model_calls", totals[0]);
                count(line, "tool_calls", totals[1]);
            }
            number(line, "cost_usd", event.costUsd());
        }
        number(line, "duration_ms", (operation.endNanos - operation.startNanos) / 1e6);
        field(line, "status", errorType == null ? "ok" : "error");
        field(line, "error_type", errorType);
        String sealed = seal(new StringBuilder(line.subSequence(from, line.length())));
        line.setLength(from);
        line.append(sealed);
    }

    @Override
    public boolean appendLost(StringBuilder line, long lost) {
        if (pendingSegmentStart != null) {
            line.append(pendingSegmentStart).append('\n');
            pendingSegmentStart = null;
        }
        StringBuilder record = new StringBuilder(160);
        begin(record, "events_lost", System.currentTimeMillis() * 1_000_000L);
        count(record, "count", lost);
        line.append(seal(record));
        return true;
    }

    private void begin(StringBuilder line, String record, long epochNanos) {
        line.append("{\"seq\":").append(++seq).append(',');
        field(line, "time", Instant.ofEpochSecond(0, epochNanos).toString());
        field(line, "record", record);
    }

    /** Adds prev and hash to an open record (fields ending in a comma) and moves the chain on. */
    private String seal(StringBuilder record) {
        record.setLength(record.length() - 1); // the trailing comma
        record.append(AuditChain.PREV_FIELD).append(prev).append('"');
        String hash = chain.hash(record);
        record.append(AuditChain.HASH_FIELD).append(hash).append("\"}");
        prev = hash;
        return record.toString();
    }
}
