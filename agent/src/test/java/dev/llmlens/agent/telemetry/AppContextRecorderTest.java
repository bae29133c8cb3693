package dev.llmlens.agent.telemetry;

import static dev.llmlens.agent.telemetry.RecorderFixture.openAiChat;
import static dev.llmlens.agent.telemetry.RecorderFixture.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmlens.agent.appcontext.AppMdc;
import dev.llmlens.agent.appcontext.AppOpenTelemetry;
import dev.llmlens.agent.events.EventFormat;
import dev.llmlens.agent.events.EventLog;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/**
 * What the recorder takes from and gives to the app's own world: the app's current span as parent,
 * its baggage, its logging context, and the event lines. The app's OpenTelemetry API here is the
 * test class path's; in the agent jar ours is relocated, so this is the same reflective path.
 */
class AppContextRecorderTest {

    @TempDir
    Path dir;

    @Test
    void theAppsLoggingContextCarriesTheIdsOnlyWhileAnOperationIsCurrent() {
        MDC.put("trace_id", "app-own-trace");
        try (RecorderFixture fixture = new RecorderFixture(new CallRecorder.Outputs(null, null, null, new AppMdc()))) {
            ToolCall tool = new ToolCall("test", "lookup");
            LlmLens.start(tool);
            String insideMdcTrace = MDC.get("trace_id");
            String insideMdcSpan = MDC.get("span_id");
            String insideLog4jSpan = ThreadContext.get("span_id");
            LlmLens.end(tool);

            SpanData span = fixture.onlySpan();
            assertEquals(span.getTraceId(), insideMdcTrace);
            assertEquals(span.getSpanId(), insideMdcSpan);
            assertEquals(span.getSpanId(), insideLog4jSpan, "Log4j 2's ThreadContext too");
            assertEquals("app-own-trace", MDC.get("trace_id"), "the app's own value is back");
            assertNull(MDC.get("span_id"));
            assertNull(ThreadContext.get("span_id"));
        } finally {
            MDC.clear();
        }
    }

    @Test
    void ourSpansJoinTheAppsTraceAndCarryItsBaggageButMetricsDoNot() throws Exception {
        Path events = dir.resolve("events.jsonl");
        EventLog log = EventLog.open(events.toString(), 1 << 20, 2, new EventFormat("svc"));
        SdkTracerProvider appTracing = SdkTracerProvider.builder().build();
        Span appSpan = appTracing.get("app").spanBuilder("handle request").startSpan();
        Baggage baggage = Baggage.builder().put("user.id", "u-42").put("session.id", "s-9").put("tenant", "acme")
                .put("upstream.auth", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTQyIn0.c2lnbmF0dXJlLW5vdC1yZWFs").build();
        try (RecorderFixture fixture = new RecorderFixture(new CallRecorder.Outputs(log, null,
                new AppOpenTelemetry(List.of("user.id", "session.id", "upstream.auth")), null));
             Scope ignored = appSpan.storeInContext(io.opentelemetry.context.Context.root()).with(baggage).makeCurrent()) {
            InferenceCall call = openAiChat("gpt-4o-mini");
            LlmLens.start(call);
            usage(call);
            LlmLens.end(call);

            SpanData span = fixture.onlySpan();
            assertEquals(appSpan.getSpanContext().getTraceId(), span.getTraceId());
            assertEquals(appSpan.getSpanContext().getSpanId(), span.getParentSpanId());
            assertEquals("u-42", span.getAttributes().get(AttributeKey.stringKey("user.id")));
            assertEquals("s-9", span.getAttributes().get(AttributeKey.stringKey("session.id")));
            assertNull(span.getAttributes().get(AttributeKey.stringKey("tenant")), "only the configured keys");
            String auth = span.getAttributes().get(AttributeKey.stringKey("upstream.auth"));
            assertTrue(auth.startsWith("Bearer [REDACTED:") || auth.startsWith("[REDACTED:"), auth);
            assertTrue(fixture.scrape().text().lines().noneMatch(l -> l.contains("u-42")), "never a metric label");

            log.close(5_000);
            Map<String, Object> line = JSON.std.mapFrom(Files.readAllLines(events).get(0));
            assertEquals(span.getTraceId(), line.get("trace_id"));
            assertEquals(span.getSpanId(), line.get("span_id"));
            assertEquals("u-42", line.get("user.id"));
            assertEquals("s-9", line.get("session.id"));
            assertEquals(auth, line.get("upstream.auth"), "redacted before it is written");
            assertEquals(CallRecorderTest.GPT_4O_MINI_COST, (Double) line.get("cost_usd"), 1e-12);
        } finally {
            appSpan.end();
            appTracing.close();
        }
    }
}
