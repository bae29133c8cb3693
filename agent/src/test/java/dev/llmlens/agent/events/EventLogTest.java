package dev.llmlens.agent.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

    @TempDir
    Path dir;

    @Test
    void eachFinishedOperationIsOneJsonLine() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventLog log = EventLog.open(file.toString(), 1 << 20, 3, new EventFormat("checkout"));

        InferenceCall call = new InferenceCall("test", "openai", "chat");
        call.requestModel = "gpt-4o-mini";
        call.responseModel = "gpt-4o-mini-2024-07-18";
        call.inputTokens = 42;
        call.outputTokens = 10;
        call.cacheReadTokens = 8;
        call.stream = true;
        call.chunkSeen();
        LlmLens.end(call); // no observer installed: just marks the end time
        log.offer(new Event(call, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 0.00125, "Assistant", null,
                Map.of("user.id", "u-1")));

        ToolCall tool = new ToolCall("test", "get \"weather\"\n");
        LlmLens.end(tool, new IllegalStateException("down"));
        log.offer(new Event(tool, null, null, null, null, null, Map.of()));

        AgentRun run = new AgentRun("test", "Assistant");
        LlmLens.end(run);
        log.offer(new Event(run, "4bf92f3577b34da6a3ce929d0e0e4736", "1111111111111111", 0.5, null,
                new long[] {3, 2, 300, 40}, Map.of()));
        log.close(5_000);

        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), lines::toString);
        Map<String, Object> model = JSON.std.mapFrom(lines.get(0));
        assertEquals("INFO", model.get("level"));
        assertEquals("llmlens.model_call", model.get("event"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", model.get("trace_id"));
        assertEquals("00f067aa0ba902b7", model.get("span_id"));
        assertEquals("checkout", model.get("service"));
        assertEquals("openai", model.get("provider"));
        assertEquals("gpt-4o-mini-2024-07-18", model.get("model"));
        assertEquals(42, model.get("input_tokens"));
        assertEquals(10, model.get("output_tokens"));
        assertEquals(8, model.get("cache_read_tokens"));
        assertFalse(model.containsKey("reasoning_tokens"), "unknown counts are left out, not 0");
        assertEquals(0.00125, model.get("cost_usd"));
        assertEquals("ok", model.get("status"));
        assertEquals("u-1", model.get("user.id"));
        assertEquals("Assistant", model.get("agent_name"));
        assertTrue(((Number) model.get("time_to_first_chunk_ms")).doubleValue() >= 0);
        Instant at = Instant.parse((String) model.get("timestamp"));
        assertTrue(Duration.between(at, Instant.now()).abs().toMinutes() < 5, at::toString);

        Map<String, Object> failedTool = JSON.std.mapFrom(lines.get(1));
        assertEquals("ERROR", failedTool.get("level"));
        assertEquals("llmlens.tool_call", failedTool.get("event"));
        assertEquals("get \"weather\"\n", failedTool.get("tool_name"), "escaped and read back unchanged");
        assertEquals("error", failedTool.get("status"));
        assertEquals("java.lang.IllegalStateException", failedTool.get("error_type"));
        assertNull(failedTool.get("trace_id"));

        Map<String, Object> runLine = JSON.std.mapFrom(lines.get(2));
        assertEquals("llmlens.agent_run", runLine.get("event"));
        assertEquals(3, runLine.get("model_calls"));
        assertEquals(2, runLine.get("tool_calls"));
        assertEquals(300, runLine.get("input_tokens"));
        assertEquals(40, runLine.get("output_tokens"));
        assertEquals(0.5, runLine.get("cost_usd"));
    }

    @Test
    void aFileRotatesBySizeAndKeepsMaxFiles() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventLog log = EventLog.open(file.toString(), 2_000, 3, new EventFormat("svc"));
        for (int i = 0; i < 100; i++) {
            ToolCall tool = new ToolCall("test", "tool-" + i);
            LlmLens.end(tool);
            log.offer(new Event(tool, null, null, null, null, null, Map.of()));
        }
        log.close(5_000);

        assertTrue(Files.exists(file));
        assertTrue(Files.exists(dir.resolve("events.jsonl.1")));
        assertTrue(Files.exists(dir.resolve("events.jsonl.2")));
        assertFalse(Files.exists(dir.resolve("events.jsonl.3")), "max-files=3: the current file and two old ones");
        for (String name : List.of("events.jsonl", "events.jsonl.1", "events.jsonl.2")) {
            assertTrue(Files.size(dir.resolve(name)) <= 2_000, name);
        }
        List<String> newest = Files.readAllLines(file);
        assertTrue(newest.get(newest.size() - 1).contains("\"tool-99\""), "the last event is in the current file");
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        BlockingSink sink = new BlockingSink();
        EventLog log = new EventLog(sink, new EventFormat("svc"));
        log.offer(toolEvent());
        sink.entered.await(); // the writer holds that one event and is stuck in write
        for (int i = 0; i < EventLog.QUEUE_CAPACITY; i++) {
            log.offer(toolEvent());
        }
        assertEquals(0, log.dropped());
        long before = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            log.offer(toolEvent());
        }
        assertEquals(5, log.dropped());
        assertTrue(System.nanoTime() - before < 1_000_000_000L, "offering to a full queue returns at once");
        sink.release.countDown();
        log.close(5_000);
        assertEquals(1 + EventLog.QUEUE_CAPACITY, sink.lines);
    }

    @Test
    void anUnwritableTargetTurnsEventsOffAndOffIsOff() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        assertNull(EventLog.open(notADirectory.resolve("events.jsonl").toString(), 1 << 20, 3, new EventFormat("svc")));
        assertNull(EventLog.open("off", 1 << 20, 3, new EventFormat("svc")));
        assertNull(EventLog.open(null, 1 << 20, 3, new EventFormat("svc")));
    }

    private static Event toolEvent() {
        ToolCall tool = new ToolCall("test", "t");
        LlmLens.end(tool);
        return new Event(tool, null, null, null, null, null, Map.of());
    }

    private static final class BlockingSink implements EventLog.Sink {
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        int lines;

        @Override
        public void write(CharSequence line) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines++;
        }

        @Override public void flush() {}
        @Override public void close() {}
    }
}
