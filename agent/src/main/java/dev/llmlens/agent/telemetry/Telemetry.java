package dev.llmlens.agent.telemetry;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.AgentVersion;
import dev.llmlens.agent.appcontext.AppMdc;
import dev.llmlens.agent.appcontext.AppOpenTelemetry;
import dev.llmlens.agent.audit.AuditChain;
import dev.llmlens.agent.audit.AuditFormat;
import dev.llmlens.agent.config.AgentSettings;
import dev.llmlens.agent.events.EventFormat;
import dev.llmlens.agent.events.EventLog;
import dev.llmlens.agent.metrics.LlmMetrics;
import dev.llmlens.agent.pricing.PriceTable;
import dev.llmlens.agent.redact.Redactor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The agent world, built once: OpenTelemetry SDK, Prometheus registry and endpoint, price table. */
public final class Telemetry {

    /** The GenAI registry our attribute names follow (see shared/reference/genai-semconv.md). */
    static final String SCHEMA_URL = "https://opentelemetry.io/schemas/gen-ai-dev/1.42.0-dev";
    /** DESIGN: pending spans are flushed at exit within 2 s, even when the backend is down. */
    private static final long SHUTDOWN_MILLIS = 1_500;
    /** Event lines go to a local file or stderr: a short wait writes what is queued. */
    private static final long EVENTS_SHUTDOWN_MILLIS = 300;

    private final OtelSdkFactory.Sdk otel;
    private final CallRecorder recorder;
    private final HTTPServer metricsServer;
    private final String metricsUrl;
    private final String priceTableDate;
    private final EventLog events;
    private final EventLog audit;

    private Telemetry(OtelSdkFactory.Sdk otel, CallRecorder recorder, HTTPServer metricsServer, String metricsUrl,
                      String priceTableDate, EventLog events, EventLog audit) {
        this.events = events;
        this.audit = audit;
        this.otel = otel;
        this.recorder = recorder;
        this.metricsServer = metricsServer;
        this.metricsUrl = metricsUrl;
        this.priceTableDate = priceTableDate;
    }

    public static Telemetry start(AgentSettings settings) {
        long t0 = System.nanoTime();
        List<String> redactProblems = new java.util.ArrayList<>();
        Redactor.install(Redactor.withUserPatterns(settings.redactPatterns(), redactProblems));
        redactProblems.forEach(AgentLog::warn);
        OtelLogBridge.install();
        LlmMetrics metrics = new LlmMetrics(settings.labelValueLimit());
        long t1 = System.nanoTime();
        PriceTable prices = loadPrices(settings.pricingFile());
        long t2 = System.nanoTime();
        ExportHealth health = new ExportHealth();
        OtelSdkFactory.Sdk otel;
        try {
            otel = OtelSdkFactory.create(settings.config(), health);
        } catch (RuntimeException e) {
            String why = e.getCause() != null ? e.getMessage() + ": " + e.getCause().getMessage() : e.getMessage();
            AgentLog.warn("Traces are off, the OpenTelemetry exporter settings do not work (" + why
                    + "); metrics on /metrics still work.");
            otel = OtelSdkFactory.withoutExport("exporter settings rejected");
        }
        Map<String, String> resource = stringAttributes(otel);
        EventLog events = EventLog.open(settings.logEvents(), settings.logEventsMaxBytes(),
                settings.logEventsMaxFiles(), new EventFormat(resource.get("service.name")));
        metrics.exportDropped(health::droppedSpans, events == null ? () -> 0 : events::dropped);
        metrics.targetInfo(resource);
        Tracer tracer = otel.sdk().getTracerProvider().tracerBuilder("llm-lens")
                .setInstrumentationVersion(AgentVersion.VALUE)
                .setSchemaUrl(SCHEMA_URL)
                .build();
        HTTPServer server = null;
        String url = "off (llmlens.prometheus.port=0)";
        if (settings.prometheusPort() > 0) {
            url = "http://" + settings.prometheusHost() + ":" + settings.prometheusPort() + "/metrics";
            try {
                // started from this daemon thread, so the JDK server's dispatcher thread is a daemon too
                server = HTTPServer.builder().hostname(settings.prometheusHost()).port(settings.prometheusPort())
                        .registry(metrics.registry()).buildAndStart();
            } catch (IOException | RuntimeException e) {
                AgentLog.warn("Cannot serve Prometheus metrics on " + settings.prometheusHost() + ":"
                        + settings.prometheusPort() + " (" + e.getMessage() + "); /metrics is off, traces still"
                        + " export. Choose another port with llmlens.prometheus.port (LLMLENS_PROMETHEUS_PORT).");
                url = "off (port " + settings.prometheusPort() + " unavailable)";
            }
        }
        AgentLog.debug("telemetry set-up: metrics " + (t1 - t0) / 1_000_000 + " ms, prices " + (t2 - t1) / 1_000_000
                + " ms, OpenTelemetry SDK and /metrics " + (System.nanoTime() - t2) / 1_000_000 + " ms");
        EventLog audit = openAudit(settings);
        CallRecorder.Outputs outputs = new CallRecorder.Outputs(events, audit,
                new AppOpenTelemetry(settings.baggageKeys()), settings.logMdc() ? new AppMdc() : null);
        return new Telemetry(otel, new CallRecorder(tracer, metrics, prices, outputs,
                new CallRecorder.Policies(settings.loopThreshold(), settings.budgets(), settings.chaos()),
                new ContentJson(settings.captureMaxLength())), server, url,
                prices.date() + " (" + prices.size() + " models)", events, audit);
    }

    /** The audit file never rotates: a rotated-away segment would look like a deletion to verify. */
    private static EventLog openAudit(AgentSettings settings) {
        if (settings.auditFile() == null) {
            return null;
        }
        Path file = Path.of(settings.auditFile());
        try {
            AuditFormat format = new AuditFormat(file, new AuditChain(settings.auditKey()));
            return EventLog.open("llmlens.audit.file", file.toString(), Long.MAX_VALUE, 1, format);
        } catch (IOException | RuntimeException e) {
            AgentLog.warn("The audit trail is off: cannot continue llmlens.audit.file=" + file + " (" + e.getMessage()
                    + "). Spans, metrics and event lines are unaffected.");
            return null;
        }
    }

    private static PriceTable loadPrices(String overrideFile) {
        PriceTable bundled = PriceTable.bundled();
        if (overrideFile == null) {
            return bundled;
        }
        try (InputStream in = Files.newInputStream(Path.of(overrideFile))) {
            return bundled.mergedWith(PriceTable.parse(in, overrideFile));
        } catch (IOException | RuntimeException e) {
            AgentLog.warn("Ignoring llmlens.pricing.file=" + overrideFile + ": " + e.getMessage()
                    + "; using the bundled price table only.");
            return bundled;
        }
    }

    private static Map<String, String> stringAttributes(OtelSdkFactory.Sdk otel) {
        Map<String, String> attributes = new LinkedHashMap<>();
        otel.resource().getAttributes().forEach((AttributeKey<?> key, Object value) -> {
            if (!key.getKey().startsWith("telemetry.sdk.")) {
                attributes.put(key.getKey(), String.valueOf(value));
            }
        });
        return attributes;
    }

    public CallRecorder recorder() {
        return recorder;
    }

    public String tracesEndpoint() {
        return otel.tracesEndpoint();
    }

    public String metricsUrl() {
        return metricsUrl;
    }

    public String priceTableDate() {
        return priceTableDate;
    }

    public void shutdown() {
        try {
            if (events != null) {
                events.close(EVENTS_SHUTDOWN_MILLIS);
            }
            if (audit != null) {
                audit.close(EVENTS_SHUTDOWN_MILLIS);
            }
            otel.sdk().getSdkTracerProvider().shutdown().join(SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS);
            if (metricsServer != null) {
                metricsServer.stop();
            }
        } catch (Throwable t) {
            AgentLog.debug("shutdown", t);
        }
    }
}
