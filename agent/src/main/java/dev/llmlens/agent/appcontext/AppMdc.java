package dev.llmlens.agent.appcontext;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts trace_id and span_id into the app's logging context (SLF4J's MDC, which Logback uses, and
 * Log4j 2's ThreadContext) while an operation is current, so the app's own log lines inside a tool
 * or a model call carry the trace. The previous values come back when the operation is left.
 */
public final class AppMdc {

    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    /** One logging context API: static get, put and remove of a String key. */
    private record Store(MethodHandle get, MethodHandle put, MethodHandle remove) {}

    private final PerLoader<List<Store>> stores = new PerLoader<>(AppMdc::find);

    private static List<Store> find(ClassLoader loader) {
        List<Store> found = new ArrayList<>(2);
        add(found, loader, "org.slf4j.MDC");
        add(found, loader, "org.apache.logging.log4j.ThreadContext");
        return List.copyOf(found);
    }

    private static void add(List<Store> found, ClassLoader loader, String className) {
        try {
            Class<?> type = Class.forName(className, false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            found.add(new Store(
                    lookup.findStatic(type, "get", MethodType.methodType(String.class, String.class)),
                    lookup.findStatic(type, "put", MethodType.methodType(void.class, String.class, String.class)),
                    lookup.findStatic(type, "remove", MethodType.methodType(void.class, String.class))));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // that logging library is not there
        }
    }

    /**
     * Sets the ids for the current thread.
     *
     * @return what to hand to {@link #restore} when the operation is left; null when there is no MDC
     */
    public Object enter(String traceId, String spanId) {
        List<Store> found = stores.forCurrentThread();
        if (found.isEmpty()) {
            return null;
        }
        String[] previous = new String[found.size() * 2];
        for (int i = 0; i < found.size(); i++) {
            Store store = found.get(i);
            try {
                previous[2 * i] = (String) store.get().invoke(TRACE_ID);
                previous[2 * i + 1] = (String) store.get().invoke(SPAN_ID);
                store.put().invoke(TRACE_ID, traceId);
                store.put().invoke(SPAN_ID, spanId);
            } catch (Throwable t) {
                // a logging library that refuses: the log lines just lack the ids
            }
        }
        return new Saved(found, previous);
    }

    private record Saved(List<Store> stores, String[] previous) {}

    public void restore(Object saved) {
        if (!(saved instanceof Saved s)) {
            return;
        }
        // in reverse: with log4j-to-slf4j, ThreadContext writes through to the MDC, so the second store's
        // "previous" values are the ids the first one just set; undoing in order would put them back
        for (int i = s.stores().size() - 1; i >= 0; i--) {
            Store store = s.stores().get(i);
            set(store, TRACE_ID, s.previous()[2 * i]);
            set(store, SPAN_ID, s.previous()[2 * i + 1]);
        }
    }

    private static void set(Store store, String key, String value) {
        try {
            if (value == null) {
                store.remove().invoke(key);
            } else {
                store.put().invoke(key, value);
            }
        } catch (Throwable t) {
            // see enter
        }
    }
}
