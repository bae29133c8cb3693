package dev.llmlens.smoke.otlp;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.joining;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import dev.llmlens.smoke.mock.LocalHttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP (http/protobuf) receiver on 127.0.0.1 that keeps every span it is sent. {@code POST
 * /v1/traces} is decoded; {@code /v1/metrics} and {@code /v1/logs} are accepted and dropped.
 */
public final class OtlpReceiver extends LocalHttpServer<OtlpReceiver> {
    /** The attributes {@link #tree} shows on each line, when present. */
    public static final List<String> TREE_ATTRIBUTES =
            List.of(
                    "gen_ai.usage.input_tokens",
                    "gen_ai.usage.output_tokens",
                    "gen_ai.usage.cost",
                    "error.type",
                    "gen_ai.response.time_to_first_chunk");

    private static final String PROTOBUF = "application/x-protobuf";

    private final Object lock = new Object();
    private final List<ReceivedSpan> spans = new ArrayList<>(); // guarded by lock
    private int requests; // guarded by lock
    private volatile int failWith;

    public OtlpReceiver() {
        super(0, 2, "otlp-receiver");
    }



    /** The OTLP/HTTP endpoint without path, {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }


    /** Snapshot of every span received so far, in arrival order. */
    public List<ReceivedSpan> spans() {
        synchronized (lock) {
            return List.copyOf(spans);
        }
    }

    /** Number of {@code /v1/traces} requests received, including rejected ones. */
    public int requestCount() {
        synchronized (lock) {
            return requests;
        }
    }

    /** Forgets spans and requests, and answers normally again. */
    public void reset() {
        synchronized (lock) {
            spans.clear();
            requests = 0;
            failWith = 0;
        }
    }

    /**
     * Answers trace exports with this HTTP status, keeping no spans; 0 (or 200) answers normally.
     */
    public void setFailWith(int httpStatus) {
        failWith = httpStatus == 200 ? 0 : httpStatus;
    }

    /**
     * Waits until {@code condition} holds for the spans received so far, and returns them.
     *
     * @throws AssertionError on timeout, listing what was received
     */
    public List<ReceivedSpan> awaitSpans(
            Predicate<List<ReceivedSpan>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                List<ReceivedSpan> snapshot = List.copyOf(spans);
                if (condition.test(snapshot)) return snapshot;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(
                            "Spans did not match within "
                                    + timeout
                                    + "; received "
                                    + snapshot.size()
                                    + " span(s) in "
                                    + requests
                                    + " trace request(s):\n"
                                    + tree(snapshot)
                                    + details(snapshot));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for spans", e);
                }
            }
        }
    }

    /**
     * Renders spans as a tree by parent/child, children by start time, one line per span: {@code
     * name [KIND] 12.3 ms key=value...} with the {@link #TREE_ATTRIBUTES} present. Spans whose
     * parent is not in the list are roots.
     */
    public static String tree(List<ReceivedSpan> spans) {
        Set<String> ids = new HashSet<>();
        spans.forEach(s -> ids.add(s.traceId() + "/" + s.spanId()));
        Map<String, List<ReceivedSpan>> children =
                spans.stream()
                        .collect(groupingBy(s -> ids.contains(parentKey(s)) ? parentKey(s) : ""));
        StringBuilder out = new StringBuilder();
        appendTree(out, children, "", 0, new HashSet<>());
        return out.toString();
    }

    private static String parentKey(ReceivedSpan s) {
        return s.traceId() + "/" + s.parentSpanId();
    }

    private static void appendTree(
            StringBuilder out,
            Map<String, List<ReceivedSpan>> children,
            String parent,
            int depth,
            Set<String> seen) {
        List<ReceivedSpan> level = new ArrayList<>(children.getOrDefault(parent, List.of()));
        level.sort(Comparator.comparingLong(ReceivedSpan::startEpochNanos));
        for (ReceivedSpan span : level) {
            String key = span.traceId() + "/" + span.spanId();
            if (!seen.add(key)) continue; // a span listed as its own ancestor must not loop forever
            out.append("  ".repeat(depth))
                    .append(span.name())
                    .append(" [")
                    .append(span.kind())
                    .append("] ")
                    .append(String.format(Locale.ROOT, "%.1f ms", span.durationNanos() / 1e6));
            for (String attribute : TREE_ATTRIBUTES) {
                Object value = span.attribute(attribute);
                if (value != null)
                    out.append(' ').append(attribute).append('=').append(format(value));
            }
            out.append('\n');
            appendTree(out, children, key, depth + 1, seen);
        }
    }

    private static String format(Object value) {
        // plain notation: a cost of 1.2E-5 reads badly next to token counts
        return value instanceof Double d
                ? BigDecimal.valueOf(d).toPlainString()
                : String.valueOf(value);
    }

    private static String details(List<ReceivedSpan> spans) {
        return spans.stream()
                .map(
                        s ->
                                "  "
                                        + s.name()
                                        + " span="
                                        + s.spanId()
                                        + " parent="
                                        + s.parentSpanId()
                                        + " status="
                                        + s.statusCode()
                                        + (s.statusMessage().isEmpty()
                                                ? ""
                                                : "(" + s.statusMessage() + ")")
                                        + " attributes="
                                        + s.attributes()
                                        + (s.events().isEmpty() ? "" : " events=" + s.events()))
                .collect(joining("\n", spans.isEmpty() ? "" : "details:\n", ""));
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            try (InputStream in =
                    "gzip"
                                    .equalsIgnoreCase(
                                            exchange.getRequestHeaders()
                                                    .getFirst("Content-Encoding"))
                            ? new GZIPInputStream(exchange.getRequestBody())
                            : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 405);
            } else if (path.equals("/v1/traces")) {
                reply(
                        exchange,
                        traces(exchange.getRequestHeaders().getFirst("Content-Type"), body));
            } else if (path.equals("/v1/metrics") || path.equals("/v1/logs")) {
                reply(exchange, 200);
            } else {
                reply(exchange, 404);
            }
        }
    }

    /** Records one trace export and returns the HTTP status to answer. */
    private int traces(String contentType, byte[] body) {
        int status = failWith;
        List<ReceivedSpan> decoded = List.of();
        if (contentType == null || !contentType.startsWith(PROTOBUF)) {
            status = 415; // e.g. an exporter left on http/json
        } else if (status == 0) {
            try {
                decoded = decode(ExportTraceServiceRequest.parseFrom(body));
                status = 200;
            } catch (InvalidProtocolBufferException e) {
                status = 400;
            }
        }
        synchronized (lock) {
            requests++;
            spans.addAll(decoded);
            lock.notifyAll();
        }
        return status;
    }

    private static void reply(HttpExchange exchange, int status) throws IOException {
        // An empty Export*ServiceResponse serialises to zero bytes, so every answer has no body.
        exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
        exchange.sendResponseHeaders(status, -1);
    }

    private static List<ReceivedSpan> decode(ExportTraceServiceRequest request) {
        List<ReceivedSpan> out = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Resource resource = resourceSpans.getResource();
            Map<String, Object> resourceAttributes = attributes(resource.getAttributesList());
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    List<ReceivedEvent> events =
                            span.getEventsList().stream()
                                    .map(
                                            e ->
                                                    new ReceivedEvent(
                                                            e.getName(),
                                                            e.getTimeUnixNano(),
                                                            attributes(e.getAttributesList())))
                                    .toList();
                    out.add(
                            new ReceivedSpan(
                                    hex(span.getTraceId()),
                                    hex(span.getSpanId()),
                                    hex(span.getParentSpanId()),
                                    span.getName(),
                                    span.getKind().name().replaceFirst("^SPAN_KIND_", ""),
                                    span.getStartTimeUnixNano(),
                                    span.getEndTimeUnixNano(),
                                    span.getStatus()
                                            .getCode()
                                            .name()
                                            .replaceFirst("^STATUS_CODE_", ""),
                                    span.getStatus().getMessage(),
                                    attributes(span.getAttributesList()),
                                    events,
                                    resourceAttributes,
                                    scopeSpans.getScope().getName(),
                                    scopeSpans.getScope().getVersion()));
                }
            }
        }
        return out;
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    private static Map<String, Object> attributes(List<KeyValue> keyValues) {
        // not Map.copyOf: an attribute with an unset value maps to null
        Map<String, Object> map = new LinkedHashMap<>();
        keyValues.forEach(kv -> map.put(kv.getKey(), value(kv.getValue())));
        return Collections.unmodifiableMap(map);
    }

    private static Object value(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case ARRAY_VALUE ->
                    value.getArrayValue().getValuesList().stream()
                            .map(OtlpReceiver::value)
                            .toList();
            case KVLIST_VALUE -> attributes(value.getKvlistValue().getValuesList());
            case BYTES_VALUE -> value.getBytesValue().toByteArray();
            default -> null;
        };
    }
}
