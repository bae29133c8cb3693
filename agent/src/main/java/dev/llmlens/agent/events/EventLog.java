package dev.llmlens.agent.events;

import dev.llmlens.agent.AgentLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * JSON event lines ({@code llmlens.log.events}): the app's thread only offers a finished event to a
 * bounded queue; a daemon thread formats and writes it. A full queue drops the event and counts it,
 * it never blocks the app. A file target rotates by size: {@code file}, {@code file.1}, ...
 */
public final class EventLog implements AutoCloseable {

    static final int QUEUE_CAPACITY = 8_192;

    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Sink sink;
    private final LineFormat format;
    private final Thread writer;
    private volatile boolean closing;

    EventLog(Sink sink, LineFormat format) {
        this.sink = sink;
        this.format = format;
        this.writer = new Thread(this::writeUntilClosed, "llmlens-events");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * @param target {@code off}, {@code stderr} or a file path
     * @return null when off, or when the file cannot be written (one WARN says why)
     */
    public static EventLog open(String target, long maxBytes, int maxFiles, LineFormat format) {
        return open("llmlens.log.events", target, maxBytes, maxFiles, format);
    }

    /** @param key the setting {@code target} came from, named in the WARN when it cannot be written */
    public static EventLog open(String key, String target, long maxBytes, int maxFiles, LineFormat format) {
        if (target == null || target.isBlank() || "off".equalsIgnoreCase(target.trim())) {
            return null;
        }
        if ("stderr".equalsIgnoreCase(target.trim())) {
            return new EventLog(new StderrSink(), format);
        }
        try {
            return new EventLog(new RotatingFileSink(Path.of(target.trim()), maxBytes, maxFiles), format);
        } catch (IOException | RuntimeException e) {
            AgentLog.warn("Lines for " + key + " are off: cannot write " + target + " (" + e + ")."
                    + " Use a writable file path" + (key.equals("llmlens.log.events") ? ", stderr, or off." : "."));
            return null;
        }
    }

    /** Never blocks: when the writer cannot keep up, the event is dropped and counted. */
    public void offer(Event event) {
        if (closing || !queue.offer(event)) {
            dropped.increment();
        }
    }

    /** Dropped events the format has not yet been told about; only the writer thread reads it. */
    private long reportedLost;

    public long dropped() {
        return dropped.sum();
    }

    private void writeUntilClosed() {
        List<Event> batch = new ArrayList<>(256);
        StringBuilder line = new StringBuilder(512);
        try {
            while (!closing || !queue.isEmpty()) {
                Event first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 255);
                long lost = dropped.sum() - reportedLost;
                if (lost > 0) {
                    line.setLength(0);
                    if (format.appendLost(line, lost)) {
                        sink.write(line.append('\n'));
                    }
                    reportedLost += lost;
                }
                for (Event event : batch) {
                    line.setLength(0);
                    format.append(line, event);
                    line.append('\n');
                    sink.write(line);
                }
                batch.clear();
                sink.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            AgentLog.warn("Event lines stopped: " + e + "; spans and metrics are unaffected.");
            closing = true;
        } finally {
            sink.close();
            stopped.countDown();
        }
    }

    /** Writes what is queued, waiting at most {@code millis}. */
    public void close(long millis) {
        closing = true;
        try {
            stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(1_000);
    }

    interface Sink {
        void write(CharSequence line) throws IOException;

        void flush() throws IOException;

        void close();
    }

    /** The agent's own stream, never the app's stdout. */
    private static final class StderrSink implements Sink {
        private final Writer out = new OutputStreamWriter(System.err, StandardCharsets.UTF_8);

        @Override public void write(CharSequence line) throws IOException { out.append(line); }
        @Override public void flush() throws IOException { out.flush(); }
        @Override public void close() {
            try {
                out.flush();
            } catch (IOException ignored) {
                // stderr is gone at exit; nothing to report to
            }
        }
    }

    static final class RotatingFileSink implements Sink {
        private final Path file;
        private final long maxBytes;
        private final int maxFiles;
        private Writer out;
        private long size;

        RotatingFileSink(Path file, long maxBytes, int maxFiles) throws IOException {
            this.file = file.toAbsolutePath();
            this.maxBytes = maxBytes;
            this.maxFiles = Math.max(1, maxFiles);
            Path dir = this.file.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            open();
        }

        private void open() throws IOException {
            out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8));
            size = Files.size(file);
        }

        @Override
        public void write(CharSequence line) throws IOException {
            // lines are ASCII except for non-ASCII text values, so chars are close enough to bytes for a limit
            if (size > 0 && size + line.length() > maxBytes) {
                rotate();
            }
            out.append(line);
            size += line.length();
        }

        private void rotate() throws IOException {
            out.close();
            Path oldest = sibling(maxFiles - 1);
            if (maxFiles == 1) {
                Files.delete(file);
            } else {
                Files.deleteIfExists(oldest);
                for (int i = maxFiles - 2; i >= 1; i--) {
                    if (Files.exists(sibling(i))) {
                        Files.move(sibling(i), sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.move(file, sibling(1), StandardCopyOption.REPLACE_EXISTING);
            }
            open();
        }

        Path sibling(int index) {
            return file.resolveSibling(file.getFileName() + "." + index);
        }

        @Override public void flush() throws IOException { out.flush(); }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException ignored) {
                // the process is going away; the WARN for a failing file was given when writing failed
            }
        }
    }
}
