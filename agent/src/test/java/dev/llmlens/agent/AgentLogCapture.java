package dev.llmlens.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Redirects {@link AgentLog}'s output for the duration of a test. AgentLog captured System.err once
 * in a static field, so System.setErr would be too late in a shared test JVM; the field is swapped
 * by reflection instead (test code only, the main code stays as it is).
 */
public final class AgentLogCapture implements AutoCloseable {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream previous;

    private AgentLogCapture() {
        previous = swap(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    public static AgentLogCapture start() {
        return new AgentLogCapture();
    }

    public List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    public List<String> warnings() {
        return lines().stream().filter(line -> line.contains(" [llm-lens] WARN ")).toList();
    }

    @Override
    public void close() {
        swap(previous);
    }

    private static PrintStream swap(PrintStream replacement) {
        try {
            Field out = AgentLog.class.getDeclaredField("out");
            out.setAccessible(true);
            PrintStream old = (PrintStream) out.get(null);
            out.set(null, replacement);
            return old;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("AgentLog.out is no longer a swappable static field", e);
        }
    }
}
