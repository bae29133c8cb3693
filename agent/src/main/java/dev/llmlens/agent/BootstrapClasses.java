package dev.llmlens.agent;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Defines the bootstrap classes (neutral call model and facade, shipped as a nested jar) directly in
 * the boot class loader, so every class loader sees exactly one copy. Defining them directly rather
 * than appending a jar to the boot class path keeps the JVM's class-data sharing on for the app
 * (an appended boot path turns it off for every non-boot class and prints a VM warning).
 */
final class BootstrapClasses {

    private static final String NESTED_JAR = "dev/llmlens/agent/llm-lens-bootstrap.jar";

    private BootstrapClasses() {}

    static void define(Instrumentation inst) throws Exception {
        Module javaBase = Object.class.getModule();
        Module agent = BootstrapClasses.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(agent)), Map.of(), Set.of(), Map.of());
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method defineClass = unsafeType.getMethod("defineClass",
                String.class, byte[].class, int.class, int.class, ClassLoader.class, java.security.ProtectionDomain.class);
        Map<String, byte[]> pending = read();
        // a class can only be defined after its supertypes: retry until no progress
        while (!pending.isEmpty()) {
            int before = pending.size();
            LinkageError last = null;
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                try {
                    byte[] bytes = entry.getValue();
                    defineClass.invoke(unsafe, entry.getKey(), bytes, 0, bytes.length, null, null);
                    it.remove();
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (!(e.getCause() instanceof NoClassDefFoundError error)) {
                        throw e;
                    }
                    last = error;
                }
            }
            if (pending.size() == before) {
                throw new IllegalStateException("cannot define bootstrap classes " + pending.keySet(), last);
            }
        }
    }

    private static Map<String, byte[]> read() throws Exception {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (InputStream in = BootstrapClasses.class.getClassLoader().getResourceAsStream(NESTED_JAR)) {
            if (in == null) {
                throw new IllegalStateException(NESTED_JAR + " is missing from the agent jar");
            }
            JarInputStream jar = new JarInputStream(in);
            for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    jar.transferTo(bytes);
                    classes.put(name.substring(0, name.length() - 6).replace('/', '.'), bytes.toByteArray());
                }
            }
        }
        return classes;
    }
}
