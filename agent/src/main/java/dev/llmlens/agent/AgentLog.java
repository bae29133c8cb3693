package dev.llmlens.agent;

import dev.llmlens.agent.redact.Redactor;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own log: one line per event on stderr, never through the app's logging and never on
 * its stdout. WARN lines that could repeat per call go through {@link #warnOnce}.
 */
public final class AgentLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static volatile boolean debug;
    private static volatile PrintStream out = System.err;

    private AgentLog() {}

    public static void setDebug(boolean enabled) {
        debug = enabled;
    }

    public static boolean isDebug() {
        return debug;
    }

    public static void info(String message) {
        write("INFO", message);
    }

    public static void warn(String message) {
        write("WARN", message);
    }

    /** Logs {@code message} the first time {@code key} is seen in this JVM; later ones are dropped. */
    public static void warnOnce(String key, String message) {
        if (WARNED.size() < 10_000 && WARNED.add(key)) {
            write("WARN", message);
        }
    }

    public static void debug(String message) {
        if (debug) {
            write("DEBUG", message);
        }
    }

    public static void debug(String message, Throwable t) {
        if (debug) {
            write("DEBUG", message + ": " + t);
            t.printStackTrace(out);
        }
    }

    private static void write(String level, String message) {
        out.println(LocalTime.now().format(TIME) + " [llm-lens] " + level + " " + Redactor.active().redact(message));
    }
}
