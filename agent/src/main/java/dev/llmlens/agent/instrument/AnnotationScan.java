package dev.llmlens.agent.instrument;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Finds the classes that use a hooked annotation without parsing every class: a class file that
 * annotates a method with {@code @com.acme.Tool} holds the string {@code Lcom/acme/Tool;} in its
 * constant pool. Only loaders that can see the annotation type are searched at all, so an app
 * without the framework pays one resource lookup per class loader.
 */
final class AnnotationScan {

    private static final AnnotationScan NONE = new AnnotationScan(List.of());

    private final List<String> annotations;
    private final List<byte[]> descriptors = new ArrayList<>();
    private final Map<ClassLoader, boolean[]> visible = new WeakHashMap<>();

    private AnnotationScan(List<String> annotations) {
        this.annotations = List.copyOf(annotations);
        for (String annotation : annotations) {
            descriptors.add(("L" + annotation.replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8));
        }
    }

    static AnnotationScan of(List<String> annotations) {
        return annotations.isEmpty() ? NONE : new AnnotationScan(annotations);
    }

    /** The hooked annotations this class's bytecode names, among those its loader can see. */
    List<String> annotationsNamedIn(ClassLoader loader, byte[] classfile) {
        if (annotations.isEmpty() || loader == null) {
            return List.of();
        }
        boolean[] seen = visibleIn(loader);
        List<String> found = null;
        for (int i = 0; i < annotations.size(); i++) {
            if (seen[i] && contains(classfile, descriptors.get(i))) {
                if (found == null) {
                    found = new ArrayList<>(1);
                }
                found.add(annotations.get(i));
            }
        }
        return found == null ? List.of() : found;
    }

    private boolean[] visibleIn(ClassLoader loader) {
        synchronized (visible) {
            return visible.computeIfAbsent(loader, l -> {
                boolean[] seen = new boolean[annotations.size()];
                for (int i = 0; i < seen.length; i++) {
                    seen[i] = l.getResource(annotations.get(i).replace('.', '/') + ".class") != null;
                }
                return seen;
            });
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
