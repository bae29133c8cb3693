package dev.llmlens.smoke.app;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * The app's own OpenTelemetry SDK, Prometheus client and Byte Buddy, at versions other than the ones
 * the agent bundles. With the agent attached they must behave exactly as without it.
 */
final class OwnLibraries {

    private OwnLibraries() {}

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
