package dev.llmlens.agent.access;

import java.lang.reflect.Method;
import java.security.ProtectionDomain;

/**
 * The only code that uses JDK internals. At run time it is loaded into a named module of its own
 * ({@link PrivilegedAccess}), and only that module is granted access to {@code java.lang} and
 * {@code jdk.internal.misc}, never the class path's unnamed module that the app's code shares.
 */
public final class JvmAccess {

    private JvmAccess() {}

    /** {@code ClassLoader#defineClass}: puts an instrumentation helper next to the SDK it was compiled against. */
    public static Class<?> defineClass(ClassLoader loader, String name, byte[] bytes, ProtectionDomain domain)
            throws ReflectiveOperationException {
        Method define = ClassLoader.class.getDeclaredMethod(
                "defineClass", String.class, byte[].class, int.class, int.class, ProtectionDomain.class);
        define.setAccessible(true);
        return (Class<?>) define.invoke(loader, name, bytes, 0, bytes.length, domain);
    }

    /** Defines a class in the boot loader, so every class loader sees the same copy. */
    public static void defineInBootLoader(String name, byte[] bytes) throws ReflectiveOperationException {
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class, ClassLoader.class,
                ProtectionDomain.class).invoke(unsafe, name, bytes, 0, bytes.length, null, null);
    }
}
