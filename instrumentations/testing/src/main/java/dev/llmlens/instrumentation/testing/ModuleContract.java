package dev.llmlens.instrumentation.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Checks a module's declarations against what was compiled and against the real SDK on the test
 * class path. Declarations are strings, so a typo or an SDK change fails only at run time otherwise.
 */
public final class ModuleContract {

    private ModuleContract() {}

    /** Helpers are injected by name: a nested or synthetic class missing from the list fails only at run time. */
    public static void assertHelpersAreExactlyTheCompiledHelpers(InstrumentationModule module, Class<?> anyHelper)
            throws Exception {
        Path classes = Path.of(anyHelper.getProtectionDomain().getCodeSource().getLocation().toURI());
        String packagePath = anyHelper.getPackageName().replace('.', '/');
        Path helperDir = classes.resolve(packagePath);
        Set<String> compiled;
        try (Stream<Path> files = Files.walk(helperDir)) {
            compiled = files.filter(f -> f.getFileName().toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('\\', '/'))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toSet());
        }
        List<String> declared = module.helperClassNames();
        assertFalse(compiled.isEmpty(), "no helper classes found under " + helperDir);
        assertEquals(new TreeSet<>(compiled), new TreeSet<>(declared));
        assertEquals(declared.size(), new HashSet<>(declared).size(), "no helper listed twice");
    }

    public static void assertRequiredClassesExist(InstrumentationModule module, ClassLoader sdkLoader)
            throws ClassNotFoundException {
        for (String name : module.requiredClassNames()) {
            Class.forName(name, false, sdkLoader);
        }
    }

    /**
     * @return for each hooked class, the names of the methods its hook matches in the real SDK; the
     *     caller compares that with what it means to hook
     */
    public static Map<String, Set<String>> matchedMethods(InstrumentationModule module, ClassLoader sdkLoader)
            throws ClassNotFoundException {
        Map<String, Set<String>> matched = new TreeMap<>();
        for (Hook hook : module.hooks()) {
            TypeDescription type = TypeDescription.ForLoadedType.of(Class.forName(hook.typeName(), false, sdkLoader));
            Set<String> names = matched.computeIfAbsent(hook.typeName(), k -> new TreeSet<>());
            for (MethodDescription method : type.getDeclaredMethods()) {
                if (hook.methods().matches(method)) {
                    names.add(method.getName());
                }
            }
        }
        return matched;
    }
}
