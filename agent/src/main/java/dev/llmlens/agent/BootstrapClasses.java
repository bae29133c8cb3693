package dev.llmlens.agent;

import dev.llmlens.agent.access.PrivilegedAccess;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
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

    static void define(PrivilegedAccess access) throws Exception {
        Map<String, byte[]> pending = read();
        // a class can only be defined after its supertypes: retry until no progress
        while (!pending.isEmpty()) {
            int before = pending.size();
            LinkageError last = null;
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                try {
                    access.defineInBootLoader(entry.getKey(), entry.getValue());
                    it.remove();
                } catch (Exception e) {
                    last = missingSupertype(e);
                }
            }
            if (pending.size() == before) {
                throw new IllegalStateException("cannot define bootstrap classes " + pending.keySet(), last);
            }
        }
    }

    /** The NoClassDefFoundError behind a failed definition, or the failure itself when it is something else. */
    private static LinkageError missingSupertype(Exception failure) throws Exception {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoClassDefFoundError missing) {
                return missing;
            }
        }
        throw failure;
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
