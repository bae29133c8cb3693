package dev.llmlens.agent.appcontext;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * A value computed once per app class loader (what that loader can see), without keeping the loader
 * alive. The last hit is kept in a field because almost every call comes from the same loader.
 */
final class PerLoader<T> {

    private record Hit<T>(ClassLoader loader, T value) {}

    private final Map<ClassLoader, T> values = new WeakHashMap<>();
    private final Function<ClassLoader, T> compute;
    private volatile Hit<T> last;

    PerLoader(Function<ClassLoader, T> compute) {
        this.compute = compute;
    }

    /** The thread's context class loader is where the app's own libraries are visible. */
    T forCurrentThread() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ClassLoader.getSystemClassLoader();
        }
        Hit<T> hit = last;
        if (hit != null && hit.loader() == loader) {
            return hit.value();
        }
        T value;
        synchronized (values) {
            value = values.computeIfAbsent(loader, compute);
        }
        last = new Hit<>(loader, value);
        return value;
    }
}
