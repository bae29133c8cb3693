package dev.llmlens.instrumentation.anthropic.helper;

import com.anthropic.core.ClientOptions;
import dev.llmlens.bootstrap.LlmLens;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Whether anthropic-java emits its own span for a call (3.x: {@code ApiCallSpans}), decided the way
 * the SDK decides it in {@code TraceApiCall.tracer(ClientOptions)}: traces are enabled in the
 * client's {@code OpenTelemetryOptions} (they are by default, even in {@code none()}) and the tracer
 * provider — the one set in the options, else {@code GlobalOpenTelemetry.getOrNoop()}'s — is not
 * the no-op one. So an app that registers a global OpenTelemetry (or runs the OTel javaagent) gets
 * the SDK's spans without setting anything, as observed with 3.12.
 *
 * <p>Read by reflection: 2.x has none of these classes, and a typed reference would fail the
 * module's reference check there and switch the whole module off.
 */
final class SdkTracing {

    /** Resolved once per class loader this helper is defined in; null when the SDK has no telemetry. */
    private static final Probe PROBE = Probe.find();

    private SdkTracing() {}

    static boolean tracesItself(ClientOptions options) {
        Probe probe = PROBE;
        if (probe == null || options == null) {
            return false;
        }
        try {
            return probe.tracesItself(options);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LlmLens.instrumentationError(AnthropicHooks.MODULE, e);
            return false;
        }
    }

    static final class Probe {
        private final Method openTelemetry;
        private final Method traces;
        private final Method enabled;
        private final Method tracerProvider;
        /** Absent with an OpenTelemetry API older than 1.57: the SDK then ignores the global one too. */
        private final Method globalOrNoop;
        private final Method providerOf;
        private final Object noopProvider;

        private Probe(ClassLoader loader) throws ReflectiveOperationException {
            openTelemetry = ClientOptions.class.getMethod("openTelemetry");
            Class<?> optionsType = openTelemetry.getReturnType();
            traces = optionsType.getMethod("traces");
            enabled = traces.getReturnType().getMethod("enabled");
            tracerProvider = optionsType.getMethod("tracerProvider");
            Class<?> providerType = Class.forName("io.opentelemetry.api.trace.TracerProvider", false, loader);
            noopProvider = providerType.getMethod("noop").invoke(null);
            Class<?> openTelemetryType = Class.forName("io.opentelemetry.api.OpenTelemetry", false, loader);
            providerOf = openTelemetryType.getMethod("getTracerProvider");
            Method orNoop;
            try {
                orNoop = Class.forName("io.opentelemetry.api.GlobalOpenTelemetry", false, loader).getMethod("getOrNoop");
            } catch (NoSuchMethodException e) {
                orNoop = null;
            }
            globalOrNoop = orNoop;
        }

        static Probe find() {
            try {
                return new Probe(ClientOptions.class.getClassLoader());
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }

        boolean tracesItself(ClientOptions options) throws ReflectiveOperationException {
            Object telemetry = openTelemetry.invoke(options);
            if (!(Boolean) enabled.invoke(traces.invoke(telemetry))) {
                return false;
            }
            Object provider = ((Optional<?>) tracerProvider.invoke(telemetry)).orElse(null);
            if (provider == null) {
                provider = globalOrNoop == null ? noopProvider : providerOf.invoke(globalOrNoop.invoke(null));
            }
            return provider != noopProvider;
        }
    }
}
