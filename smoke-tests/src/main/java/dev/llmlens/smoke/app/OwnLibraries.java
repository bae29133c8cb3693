package dev.llmlens.smoke.app;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.Callable;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * The app's own OpenTelemetry SDK, Prometheus client and Byte Buddy, at versions other than the ones
 * the agent bundles. With the agent attached they must behave exactly as without it.
 */
final class OwnLibraries {

    /** Fixed ids, so a test can find the app's span as the parent of the agent's without the app printing them. */
    static final String APP_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    static final String APP_SPAN_ID = "b7ad6b7169203331";

    private OwnLibraries() {}

    /** Runs {@code work} inside a span of the app's own tracing, with W3C baggage as a web filter would set it. */
    static String inOwnTrace(Callable<String> work) throws Exception {
        IdGenerator fixedIds = new IdGenerator() {
            @Override public String generateSpanId() { return APP_SPAN_ID; }
            @Override public String generateTraceId() { return APP_TRACE_ID; }
        };
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().setIdGenerator(fixedIds).build()) {
            Span request = tracing.get("app").spanBuilder("handle-request").startSpan();
            Baggage baggage = Baggage.builder().put("user.id", "u-smoke").put("session.id", "s-smoke")
                    .put("tenant", "not-copied").build();
            try (Scope ignored = Context.current().with(request).with(baggage).makeCurrent()) {
                return work.call();
            } finally {
                request.end();
            }
        }
    }

    static String use() throws Exception {
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().build()) {
            Span span = tracing.get("app").spanBuilder("app-work").startSpan();
            boolean valid = span.getSpanContext().isValid();
            span.end();

            PrometheusRegistry registry = new PrometheusRegistry();
            Counter counter = Counter.builder().name("app_jobs_total").register(registry);
            counter.inc(2);

            Object proxy = new ByteBuddy().subclass(Object.class)
                    .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the app's Byte Buddy"))
                    .make().load(OwnLibraries.class.getClassLoader()).getLoaded().getDeclaredConstructor().newInstance();
            // the agent needs JDK internals, but must not hand them to the class path the app's code is on
            Module app = OwnLibraries.class.getModule();
            Module javaBase = Object.class.getModule();
            return "otel span valid=" + valid + " (" + Span.class.getPackage().getImplementationVersion() + ")"
                    + ", prometheus counter=" + counter.get() + ", " + proxy
                    + ", java.lang open to the app=" + javaBase.isOpen("java.lang", app)
                    + ", jdk.internal.misc exported to the app=" + javaBase.isExported("jdk.internal.misc", app);
        }
    }
}
