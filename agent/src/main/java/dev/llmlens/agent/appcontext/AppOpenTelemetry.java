package dev.llmlens.agent.appcontext;

import dev.llmlens.agent.redact.Redactor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The app's own OpenTelemetry API (its SDK, or the OpenTelemetry javaagent behind it), read through
 * the app's class loader: its current span becomes the parent of our root spans, and chosen W3C
 * baggage entries are copied onto our spans and event lines. Our relocated copy of the API cannot
 * see the app's context, hence method handles on the app's classes.
 */
public final class AppOpenTelemetry {

    /** What the app's current span is, in strings our own API can rebuild. */
    public record ParentSpan(String traceId, String spanId, boolean sampled) {}

    private record Api(MethodHandle currentSpan, MethodHandle spanContext, MethodHandle isValid,
                       MethodHandle traceId, MethodHandle spanId, MethodHandle isSampled,
                       MethodHandle currentBaggage, MethodHandle entryValue) {}

    private static final Api ABSENT = new Api(null, null, null, null, null, null, null, null);

    private final List<String> baggageKeys;
    private final PerLoader<Api> apis = new PerLoader<>(AppOpenTelemetry::find);

    public AppOpenTelemetry(List<String> baggageKeys) {
        this.baggageKeys = List.copyOf(baggageKeys);
    }

    /**
     * The app's package name, assembled at run time: the shade plugin relocates every string constant
     * that starts with the package it relocates, which would point this at our own copy.
     */
    private static final String APP_API = String.join(".", "io", "opentelemetry", "api");

    private static Api find(ClassLoader loader) {
        try {
            Class<?> span = Class.forName(APP_API + ".trace.Span", false, loader);
            Class<?> spanContext = Class.forName(APP_API + ".trace.SpanContext", false, loader);
            Class<?> baggage = Class.forName(APP_API + ".baggage.Baggage", false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            return new Api(
                    lookup.findStatic(span, "current", MethodType.methodType(span)),
                    lookup.findVirtual(span, "getSpanContext", MethodType.methodType(spanContext)),
                    lookup.findVirtual(spanContext, "isValid", MethodType.methodType(boolean.class)),
                    lookup.findVirtual(spanContext, "getTraceId", MethodType.methodType(String.class)),
                    lookup.findVirtual(spanContext, "getSpanId", MethodType.methodType(String.class)),
                    lookup.findVirtual(spanContext, "isSampled", MethodType.methodType(boolean.class)),
                    lookup.findStatic(baggage, "current", MethodType.methodType(baggage)),
                    lookup.findVirtual(baggage, "getEntryValue", MethodType.methodType(String.class, String.class)));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return ABSENT; // the app does not use the OpenTelemetry API: nothing to bridge
        }
    }

    /** The app's current span on this thread, or null when it has none (or no OpenTelemetry at all). */
    public ParentSpan currentSpan() {
        Api api = apis.forCurrentThread();
        if (api.currentSpan() == null) {
            return null;
        }
        try {
            Object context = api.spanContext().invoke(api.currentSpan().invoke());
            if (!(boolean) api.isValid().invoke(context)) {
                return null;
            }
            return new ParentSpan((String) api.traceId().invoke(context), (String) api.spanId().invoke(context),
                    (boolean) api.isSampled().invoke(context));
        } catch (Throwable t) {
            return null;
        }
    }

    /** The configured baggage keys the app has set in its current context; empty when none. */
    public Map<String, String> baggage() {
        if (baggageKeys.isEmpty()) {
            return Map.of();
        }
        Api api = apis.forCurrentThread();
        if (api.currentBaggage() == null) {
            return Map.of();
        }
        try {
            Object baggage = api.currentBaggage().invoke();
            Map<String, String> found = null;
            for (String key : baggageKeys) {
                String value = (String) api.entryValue().invoke(baggage, key);
                if (value != null) {
                    if (found == null) {
                        found = new LinkedHashMap<>();
                    }
                    // baggage is the app's free text: it leaves the process on spans and event lines
                    found.put(key, Redactor.active().redact(value));
                }
            }
            return found == null ? Map.of() : found;
        } catch (Throwable t) {
            return Map.of();
        }
    }
}
