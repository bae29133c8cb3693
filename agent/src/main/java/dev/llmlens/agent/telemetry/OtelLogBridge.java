package dev.llmlens.agent.telemetry;

import dev.llmlens.agent.AgentLog;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The bundled OpenTelemetry SDK logs through java.util.logging, which frameworks bridge into the
 * app's own logs. Its (relocated) loggers are cut off from the root and go to the agent's log: one
 * line each, stack traces only with llmlens.debug=true.
 */
final class OtelLogBridge extends Handler {

    // JUL holds loggers weakly: keep ours, or the configuration is lost on the next GC
    private static final Logger OTEL = Logger.getLogger(
            io.opentelemetry.sdk.OpenTelemetrySdk.class.getPackageName().replace(".sdk", ""));

    static void install() {
        OTEL.setUseParentHandlers(false);
        OTEL.setLevel(Level.INFO);
        OTEL.addHandler(new OtelLogBridge());
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (record.getParameters() != null && message != null && message.contains("{0")) {
            message = java.text.MessageFormat.format(message, record.getParameters());
        }
        String source = record.getLoggerName() == null ? "otel" : record.getLoggerName().substring(record.getLoggerName().lastIndexOf('.') + 1);
        String line = source + ": " + message;
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            AgentLog.warn(record.getThrown() == null || AgentLog.isDebug() ? line : line + " (" + record.getThrown() + ")");
            if (record.getThrown() != null) {
                AgentLog.debug("otel", record.getThrown());
            }
        } else {
            AgentLog.info(line);
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
