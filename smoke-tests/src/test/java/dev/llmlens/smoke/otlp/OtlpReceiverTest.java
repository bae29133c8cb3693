package dev.llmlens.smoke.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String ROOT_ID = "b7ad6b7169203331";
    private static final String CHAT_ID = "00f067aa0ba902b7";
    private static final String TOOL_ID = "1111111111111111";
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MS = 1_000_000L;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static OtlpReceiver receiver;

    @BeforeAll
    static void start() {
        receiver = new OtlpReceiver().start();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @BeforeEach
    void reset() {
        receiver.reset();
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    private static AnyValue num(long l) {
        return AnyValue.newBuilder().setIntValue(l).build();
    }

    private static Span.Builder span(
            String id, String parent, String name, long startMs, long endMs) {
        return Span.newBuilder()
                .setTraceId(id(TRACE_ID))
                .setSpanId(id(id))
                .setParentSpanId(parent.isEmpty() ? ByteString.EMPTY : id(parent))
                .setName(name)
                .setStartTimeUnixNano(T0 + startMs * MS)
                .setEndTimeUnixNano(T0 + endMs * MS);
    }

    /**
     * invoke_agent ⊃ {chat gpt-4o-mini (12..62 ms, error), execute_tool (2..5 ms)}, children out of
     * order.
     */
    private static ExportTraceServiceRequest request() {
        Span root =
                span(ROOT_ID, "", "invoke_agent", 0, 100)
                        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                        .build();
        Span chat =
                span(CHAT_ID, ROOT_ID, "chat gpt-4o-mini", 12, 62)
                        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                        .addAttributes(kv("gen_ai.request.model", str("gpt-4o-mini")))
                        .addAttributes(kv("gen_ai.usage.input_tokens", num(42)))
                        .addAttributes(kv("gen_ai.usage.output_tokens", num(17)))
                        .addAttributes(
                                kv(
                                        "gen_ai.usage.cost",
                                        AnyValue.newBuilder().setDoubleValue(0.0000123).build()))
                        .addAttributes(
                                kv(
                                        "gen_ai.response.time_to_first_chunk",
                                        AnyValue.newBuilder().setDoubleValue(0.25).build()))
                        .addAttributes(kv("error.type", str("timeout")))
                        .addAttributes(
                                kv(
                                        "llm_lens.streaming",
                                        AnyValue.newBuilder().setBoolValue(true).build()))
                        .addAttributes(
                                kv(
                                        "gen_ai.response.finish_reasons",
                                        AnyValue.newBuilder()
                                                .setArrayValue(
                                                        ArrayValue.newBuilder()
                                                                .addValues(str("stop"))
                                                                .addValues(num(3)))
                                                .build()))
                        .addEvents(
                                Span.Event.newBuilder()
                                        .setName("gen_ai.client.inference.operation.details")
                                        .setTimeUnixNano(T0 + 60 * MS)
                                        .addAttributes(kv("gen_ai.output.type", str("text"))))
                        .setStatus(
                                Status.newBuilder()
                                        .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                                        .setMessage("read timed out"))
                        .build();
        Span tool = span(TOOL_ID, ROOT_ID, "execute_tool weather", 2, 5).build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(
                        ResourceSpans.newBuilder()
                                .setResource(
                                        Resource.newBuilder()
                                                .addAttributes(
                                                        kv("service.name", str("smoke-app"))))
                                .addScopeSpans(
                                        ScopeSpans.newBuilder()
                                                .setScope(
                                                        InstrumentationScope.newBuilder()
                                                                .setName("dev.llmlens")
                                                                .setVersion("0.1.0"))
                                                .addSpans(root)
                                                .addSpans(chat)
                                                .addSpans(tool)))
                .build();
    }

    private static HttpResponse<byte[]> post(
            String path, byte[] body, boolean gzip, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(receiver.endpoint() + path))
                        .header("Content-Type", contentType);
        if (gzip) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                out.write(body);
            }
            body = zipped.toByteArray();
            request.header("Content-Encoding", "gzip");
        }
        return HTTP.send(
                request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> export(boolean gzip) throws Exception {
        return post("/v1/traces", request().toByteArray(), gzip, "application/x-protobuf");
    }

    @Test
    void decodesEveryField() throws Exception {
        HttpResponse<byte[]> response = export(false);

        assertEquals(200, response.statusCode());
        assertEquals(
                "application/x-protobuf",
                response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                ExportTraceServiceResponse.getDefaultInstance(),
                ExportTraceServiceResponse.parseFrom(response.body()));
        List<ReceivedSpan> spans = receiver.spans();
        assertEquals(3, spans.size());
        assertEquals(1, receiver.requestCount());

        ReceivedSpan root = spans.get(0);
        assertEquals("", root.parentSpanId());
        assertEquals("INTERNAL", root.kind());
        assertEquals("UNSET", root.statusCode());
        assertEquals(Map.of("service.name", "smoke-app"), root.resourceAttributes());
        assertEquals("dev.llmlens", root.scopeName());
        assertEquals("0.1.0", root.scopeVersion());

        ReceivedSpan chat = spans.get(1);
        assertEquals(TRACE_ID, chat.traceId());
        assertEquals(CHAT_ID, chat.spanId());
        assertEquals(ROOT_ID, chat.parentSpanId());
        assertEquals("chat gpt-4o-mini", chat.name());
        assertEquals("CLIENT", chat.kind());
        assertEquals(T0 + 12 * MS, chat.startEpochNanos());
        assertEquals(T0 + 62 * MS, chat.endEpochNanos());
        assertEquals(50 * MS, chat.durationNanos());
        assertEquals("ERROR", chat.statusCode());
        assertEquals("read timed out", chat.statusMessage());
        assertEquals("gpt-4o-mini", chat.attribute("gen_ai.request.model"));
        assertEquals(42L, chat.attribute("gen_ai.usage.input_tokens"));
        assertEquals(0.0000123, chat.attribute("gen_ai.usage.cost"));
        assertEquals(true, chat.attribute("llm_lens.streaming"));
        assertEquals(List.of("stop", 3L), chat.attribute("gen_ai.response.finish_reasons"));
        assertEquals(
                List.of(
                        new ReceivedEvent(
                                "gen_ai.client.inference.operation.details",
                                T0 + 60 * MS,
                                Map.of("gen_ai.output.type", "text"))),
                chat.events());
    }

    @Test
    void decodesGzip() throws Exception {
        assertEquals(200, export(true).statusCode());
        assertEquals(
                List.of("invoke_agent", "chat gpt-4o-mini", "execute_tool weather"),
                receiver.spans().stream().map(ReceivedSpan::name).toList());
    }

    @Test
    void treeNestsChildrenByStartTime() throws Exception {
        export(false);
        assertEquals(
                """
        invoke_agent [INTERNAL] 100.0 ms
          execute_tool weather [UNSPECIFIED] 3.0 ms
          chat gpt-4o-mini [CLIENT] 50.0 ms gen_ai.usage.input_tokens=42 \
        gen_ai.usage.output_tokens=17 gen_ai.usage.cost=0.0000123 error.type=timeout \
        gen_ai.response.time_to_first_chunk=0.25
        """,
                OtlpReceiver.tree(receiver.spans()));
        // a span whose parent was not received becomes a root
        assertEquals(
                "chat gpt-4o-mini",
                OtlpReceiver.tree(receiver.spans().subList(1, 2)).split(" \\[")[0]);
    }

    @Test
    void awaitSpansWakesUpWhenSpansArrive() throws Exception {
        CompletableFuture<List<ReceivedSpan>> waiting =
                CompletableFuture.supplyAsync(
                        () -> receiver.awaitSpans(s -> s.size() >= 3, Duration.ofSeconds(10)));
        export(false);
        assertEquals(3, waiting.get(10, TimeUnit.SECONDS).size());
    }

    @Test
    void awaitSpansTimesOutWithWhatWasReceived() throws Exception {
        export(false);
        long start = System.nanoTime();
        AssertionError e =
                assertThrows(
                        AssertionError.class,
                        () -> receiver.awaitSpans(s -> s.size() > 3, Duration.ofMillis(200)));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(waitedMillis >= 200 && waitedMillis < 5000, "waited " + waitedMillis + " ms");
        assertTrue(
                e.getMessage().contains("received 3 span(s) in 1 trace request(s)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("  chat gpt-4o-mini [CLIENT]"), e.getMessage());
        assertTrue(e.getMessage().contains("gen_ai.request.model=gpt-4o-mini"), e.getMessage());
    }

    @Test
    void failsOnDemandWithoutKeepingSpans() throws Exception {
        receiver.setFailWith(503);
        assertEquals(503, export(false).statusCode());
        assertTrue(receiver.spans().isEmpty());
        assertEquals(1, receiver.requestCount());

        receiver.setFailWith(0);
        assertEquals(200, export(false).statusCode());
        assertEquals(3, receiver.spans().size());
        assertEquals(2, receiver.requestCount());
    }

    @Test
    void acceptsMetricsAndLogsRejectsTheRest() throws Exception {
        assertEquals(
                200,
                post("/v1/metrics", new byte[0], false, "application/x-protobuf").statusCode());
        assertEquals(
                200, post("/v1/logs", new byte[0], true, "application/x-protobuf").statusCode());
        assertEquals(
                404, post("/v1/other", new byte[0], false, "application/x-protobuf").statusCode());
        assertEquals(
                415, post("/v1/traces", "{}".getBytes(), false, "application/json").statusCode());
        assertEquals(
                400,
                post("/v1/traces", new byte[] {1, 2, 3}, false, "application/x-protobuf")
                        .statusCode());
        assertEquals(2, receiver.requestCount()); // only /v1/traces counts
        assertTrue(receiver.spans().isEmpty());
    }
}
