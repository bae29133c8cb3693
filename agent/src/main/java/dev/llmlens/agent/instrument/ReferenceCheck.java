package dev.llmlens.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Manifest;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;

/**
 * Before a module is switched on in a class loader, checks that every SDK method its helpers call
 * exists there (the helpers' own bytecode is the list of references). An SDK version that renamed
 * or dropped one would otherwise fail at call time, be swallowed by the advice, and lose telemetry
 * silently; this way it fails once, loudly, with the missing method in the WARN line.
 */
final class ReferenceCheck {

    record Reference(String owner, String name, String descriptor) {
        @Override
        public String toString() {
            return owner.replace('/', '.') + "#" + name + descriptor;
        }
    }

    private final List<Reference> references;

    private ReferenceCheck(List<Reference> references) {
        this.references = references;
    }

    /** Collects the calls the helpers make into classes outside the JDK and dev.llmlens (agent, bootstrap, helpers). */
    static ReferenceCheck ofHelpers(List<byte[]> helperClasses) {
        Set<Reference> refs = new HashSet<>();
        for (byte[] bytes : helperClasses) {
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String descriptor, boolean itf) {
                            if (isLibraryType(owner)) {
                                refs.add(new Reference(owner, method, descriptor));
                            }
                        }

                        /** Method references ({@code p::maxTokens}) compile to invokedynamic with a handle argument. */
                        @Override
                        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... args) {
                            for (Object arg : args) {
                                if (arg instanceof Handle handle && handle.getTag() >= Opcodes.H_INVOKEVIRTUAL
                                        && isLibraryType(handle.getOwner())) {
                                    refs.add(new Reference(handle.getOwner(), handle.getName(), handle.getDesc()));
                                }
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
        return new ReferenceCheck(new ArrayList<>(refs));
    }

    private static boolean isLibraryType(String internalName) {
        return !internalName.startsWith("java/") && !internalName.startsWith("javax/")
                && !internalName.startsWith("jdk/") && !internalName.startsWith("dev/llmlens/")
                && !internalName.startsWith("[");
    }

    /** @return the references the loader cannot satisfy; empty means the module can run there. */
    List<Reference> missingIn(ClassLoader loader) {
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
        List<Reference> missing = new ArrayList<>();
        for (Reference ref : references) {
            TypePool.Resolution resolution = pool.describe(ref.owner.replace('/', '.'));
            if (!resolution.isResolved() || !hasMethod(resolution.resolve(), ref)) {
                missing.add(ref);
            }
        }
        return missing;
    }

    private static boolean hasMethod(TypeDefinition type, Reference ref) {
        for (TypeDefinition t = type; t != null; t = t.getSuperClass() == null ? null : t.getSuperClass().asErasure()) {
            if (declares(t, ref)) {
                return true;
            }
            for (TypeDescription.Generic itf : t.getInterfaces()) {
                if (hasMethod(itf.asErasure(), ref)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean declares(TypeDefinition type, Reference ref) {
        for (MethodDescription.InDefinedShape m : type.asErasure().getDeclaredMethods()) {
            if (m.getInternalName().equals(ref.name) && m.getDescriptor().equals(ref.descriptor)) {
                return true;
            }
        }
        return false;
    }

    /** The library version from the manifest of the jar that holds {@code className}, or "unknown". */
    static String libraryVersion(ClassLoader loader, String className) {
        try {
            URL url = loader.getResource(className.replace('.', '/') + ".class");
            if (url != null) {
                URLConnection connection = url.openConnection();
                if (connection instanceof JarURLConnection jar) {
                    Manifest manifest = jar.getManifest();
                    String version = manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
                    if (version != null) {
                        return version;
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // the version is only for the message
        }
        return "unknown";
    }

    static byte[] read(ClassLoader loader, String resource) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the agent jar");
            }
            return in.readAllBytes();
        }
    }
}
