package dev.llmlens.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmlens.agent.events.Event;
import dev.llmlens.agent.events.EventLog;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit file as the agent writes it across JVM starts, and what verify finds when it is tampered with. */
class AuditTrailTest {

    private static final String KEY = "s3cret-audit-key";

    @TempDir
    Path dir;

    /** Two "JVM starts" appending to one file: 2 + 1 records, each segment opened by its own line. */
    private Path writeTwoSegments(String key) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        for (int start = 0; start < 2; start++) {
            EventLog log = EventLog.open("llmlens.audit.file", file.toString(), Long.MAX_VALUE, 1,
                    new AuditFormat(file, new AuditChain(key)));
            log.offer(tool("delete_file", start == 0 ? null : new IllegalStateException("denied")));
            if (start == 0) {
                AgentRun run = new AgentRun("test", "Assistant");
                LlmLens.end(run);
                log.offer(new Event(run, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 0.25, null,
                        new long[] {3, 1, 100, 10}, Map.of()));
            }
            log.close(5_000);
        }
        return file;
    }

    private static Event tool(String name, Throwable error) {
        ToolCall tool = new ToolCall("test", name);
        tool.toolCallId = "call_1";
        LlmLens.end(tool, error);
        return new Event(tool, "4bf92f3577b34da6a3ce929d0e0e4736", "1111111111111111", null, "Assistant", null, Map.of());
    }

    @Test
    void anIntactFileVerifiesAcrossSegments() throws Exception {
        Path file = writeTwoSegments(KEY);
        List<String> lines = Files.readAllLines(file);
        assertEquals(5, lines.size(), String.join("\n", lines));

        Map<String, Object> firstSegment = JSON.std.mapFrom(lines.get(0));
        assertEquals("segment_start", firstSegment.get("record"));
        assertEquals("", firstSegment.get("previous_segment_last_hash"));
        assertEquals(AuditChain.GENESIS, firstSegment.get("prev"));
        assertEquals("hmac-sha256", firstSegment.get("mac"));
        Map<String, Object> tool = JSON.std.mapFrom(lines.get(1));
        assertEquals("tool_call", tool.get("record"));
        assertEquals("delete_file", tool.get("tool_name"));
        assertEquals("call_1", tool.get("tool_call_id"));
        assertEquals("ok", tool.get("status"));
        Map<String, Object> run = JSON.std.mapFrom(lines.get(2));
        assertEquals("agent_run", run.get("record"));
        assertEquals(3, run.get("model_calls"));
        Map<String, Object> secondSegment = JSON.std.mapFrom(lines.get(3));
        assertEquals("segment_start", secondSegment.get("record"));
        assertEquals(run.get("hash"), secondSegment.get("previous_segment_last_hash"), "names the previous segment's end");
        assertEquals("java.lang.IllegalStateException", JSON.std.mapFrom(lines.get(4)).get("error_type"));

        AuditVerifier.Result result = AuditVerifier.verify(file, new AuditChain(KEY));
        assertTrue(result.ok(), result.describe(file));
        assertEquals(5, result.linesVerified());
        assertEquals(2, result.segments());
    }

    @Test
    void anEditedLineIsFound() throws Exception {
        Path file = writeTwoSegments(KEY);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replace("\"status\":\"ok\"", "\"status\":\"error\""));
        Files.write(file, lines);

        AuditVerifier.Result result = AuditVerifier.verify(file, new AuditChain(KEY));
        assertEquals(2, result.brokenLine(), result.describe(file));
        assertEquals(1, result.linesVerified());
        assertTrue(result.reason().contains("edited"), result.reason());
    }

    @Test
    void aDeletedLineIsFound() throws Exception {
        Path file = writeTwoSegments(KEY);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(2);
        Files.write(file, lines);

        AuditVerifier.Result result = AuditVerifier.verify(file, new AuditChain(KEY));
        assertEquals(3, result.brokenLine(), result.describe(file));
        assertEquals(2, result.linesVerified());
        assertTrue(result.reason().contains("missing or moved"), result.reason());
    }

    @Test
    void reorderedLinesAreFound() throws Exception {
        Path file = writeTwoSegments(KEY);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        Collections.swap(lines, 1, 2);
        Files.write(file, lines);

        AuditVerifier.Result result = AuditVerifier.verify(file, new AuditChain(KEY));
        assertEquals(2, result.brokenLine(), result.describe(file));
        assertFalse(result.ok());
    }

    @Test
    void aWholesaleRewriteWithoutTheKeyIsFound() throws Exception {
        // an attacker who rewrites a line and re-chains everything after it with plain SHA-256
        Path file = writeTwoSegments(KEY);
        List<String> forged = new ArrayList<>();
        AuditChain unkeyed = new AuditChain(null);
        String prev = AuditChain.GENESIS;
        for (String line : Files.readAllLines(file)) {
            String body = line.substring(0, line.lastIndexOf(AuditChain.HASH_FIELD));
            body = body.replaceAll("\"prev\":\"[0-9a-f]+\"", "\"prev\":\"" + prev + "\"").replace("delete_file", "read_file");
            prev = unkeyed.hash(body);
            forged.add(body + AuditChain.HASH_FIELD + prev + "\"}");
        }
        Files.write(file, forged);

        assertEquals(1, AuditVerifier.verify(file, new AuditChain(KEY)).brokenLine(), "the key is needed to forge");
        assertTrue(AuditVerifier.verify(file, new AuditChain(null)).brokenLine() > 0,
                "and the segment says it is keyed, so checking without a key does not pass either");
    }

    @Test
    void unkeyedFilesVerifyWithoutAKey() throws Exception {
        Path file = writeTwoSegments(null);
        AuditVerifier.Result result = AuditVerifier.verify(file, new AuditChain(null));
        assertTrue(result.ok(), result.describe(file));
    }

    @Test
    void lostEventsAreALineInTheChainNotASilentGap() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditFormat format = new AuditFormat(file, new AuditChain(KEY));
        StringBuilder text = new StringBuilder();
        assertTrue(format.appendLost(text, 7));
        text.append('\n');
        format.append(text, tool("search", null));
        Files.writeString(file, text.append('\n'));

        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("segment_start", "events_lost", "tool_call"),
                lines.stream().map(l -> { try { return (String) JSON.std.mapFrom(l).get("record"); }
                    catch (IOException e) { throw new AssertionError(e); } }).toList());
        assertEquals(7, JSON.std.mapFrom(lines.get(1)).get("count"));
        assertTrue(AuditVerifier.verify(file, new AuditChain(KEY)).ok());
    }

    @Test
    void aFileThatIsNotAnAuditTrailIsNotContinued() throws IOException {
        Path file = Files.writeString(dir.resolve("other.log"), "some other log line\n");
        assertThrows(IOException.class, () -> new AuditFormat(file, new AuditChain(KEY)));
    }
}
