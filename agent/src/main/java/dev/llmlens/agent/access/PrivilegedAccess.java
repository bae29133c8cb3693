package dev.llmlens.agent.access;

import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * {@link JvmAccess} loaded into a one-class named module ({@value #MODULE}) and granted exactly the
 * JDK access it needs. Granting it to the agent's own classes instead would grant it to every class
 * on the class path (they share one unnamed module), and a library that probes such access would
 * then take another code path than without the agent.
 */
public final class PrivilegedAccess {

    static final String MODULE = "dev.llmlens.access";
    private static final String CLASS_FILE = JvmAccess.class.getName().replace('.', '/') + ".class";

    private final Method defineClass;
    private final Method defineInBootLoader;

    private PrivilegedAccess(Class<?> access) throws NoSuchMethodException {
        defineClass = access.getMethod("defineClass", ClassLoader.class, String.class, byte[].class, ProtectionDomain.class);
        defineInBootLoader = access.getMethod("defineInBootLoader", String.class, byte[].class);
    }

    public static PrivilegedAccess grant(Instrumentation inst) throws Exception {
        Path jar = Files.createTempFile("llm-lens-access", ".jar");
        jar.toFile().deleteOnExit();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Automatic-Module-Name", MODULE);
        try (InputStream in = PrivilegedAccess.class.getClassLoader().getResourceAsStream(CLASS_FILE);
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry(CLASS_FILE));
            in.transferTo(out);
        }
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(ModuleFinder.of(jar), ModuleFinder.of(), Set.of(MODULE));
        ModuleLayer layer = boot.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
        Module module = layer.findModule(MODULE).orElseThrow();
        inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.misc", Set.of(module)),
                Map.of("java.lang", Set.of(module)), Set.of(), Map.of());
        return new PrivilegedAccess(layer.findLoader(MODULE).loadClass(JvmAccess.class.getName()));
    }

    public Class<?> defineClass(ClassLoader loader, String name, byte[] bytes, ProtectionDomain domain) throws Exception {
        return (Class<?>) invoke(defineClass, loader, name, bytes, domain);
    }

    public void defineInBootLoader(String name, byte[] bytes) throws Exception {
        invoke(defineInBootLoader, name, bytes);
    }

    private static Object invoke(Method method, Object... args) throws Exception {
        try {
            return method.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
