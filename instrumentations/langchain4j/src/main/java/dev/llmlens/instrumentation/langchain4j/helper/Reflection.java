package dev.llmlens.instrumentation.langchain4j.helper;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads what only some langchain4j lines or provider modules have (a provider's token-usage subclass,
 * a model's client). A typed call would make the module's reference check fail wherever that line or
 * module is absent, and switch off the whole module; a reflective read just finds nothing there.
 */
final class Reflection {

    private static final ClassValue<Map<String, Optional<Method>>> METHODS = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Method>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };
    private static final ClassValue<Map<String, Optional<Field>>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, Optional<Field>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Reflection() {}

    /** The result of the public no-argument method {@code name}, or null when the object has none. */
    static Object call(Object target, String name) {
        if (target == null) {
            return null;
        }
        Optional<Method> method = METHODS.get(target.getClass()).computeIfAbsent(name, n -> findMethod(target.getClass(), n));
        if (method.isEmpty()) {
            return null;
        }
        try {
            return method.get().invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The value of the field {@code name} declared by the object's class or a superclass, or null. */
    static Object field(Object target, String name) {
        if (target == null) {
            return null;
        }
        Optional<Field> field = FIELDS.get(target.getClass()).computeIfAbsent(name, n -> findField(target.getClass(), n));
        if (field.isEmpty()) {
            return null;
        }
        try {
            return field.get().get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Optional<Method> findMethod(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            // a public method of a package-private implementation class is not accessible as found
            return method.trySetAccessible() || method.canAccess(null) ? Optional.of(method) : Optional.empty();
        } catch (NoSuchMethodException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Field> findField(Class<?> type, String name) {
        for (Class<?> t = type; t != null && t != Object.class; t = t.getSuperclass()) {
            try {
                Field field = t.getDeclaredField(name);
                return field.trySetAccessible() ? Optional.of(field) : Optional.empty();
            } catch (NoSuchFieldException e) {
                // look further up
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
