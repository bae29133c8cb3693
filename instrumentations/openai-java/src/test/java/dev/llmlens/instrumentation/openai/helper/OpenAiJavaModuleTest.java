package dev.llmlens.instrumentation.openai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.ClientOptions;
import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.openai.OpenAiJavaModule;
import dev.llmlens.instrumentation.openai.ServiceCallAdvice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/** The module's declarations against what was compiled and against the real openai-java jar. */
class OpenAiJavaModuleTest {

    private final OpenAiJavaModule module = new OpenAiJavaModule();

    @Test
    void helperClassNamesAreExactlyTheCompiledHelpers() throws Exception {
        // helpers are injected by name: a nested or synthetic class missing from the list fails at run time only
        Path classes = Path.of(OpenAiHooks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path helperDir = classes.resolve("dev/llmlens/instrumentation/openai/helper");
        Set<String> compiled;
        try (Stream<Path> files = Files.walk(helperDir)) {
            compiled = files.filter(f -> f.getFileName().toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('\\', '/'))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toSet());
        }

        List<String> declared = module.helperClassNames();
        assertFalse(compiled.isEmpty(), "no helper classes found under " + helperDir);
        assertEquals(compiled, new HashSet<>(declared));
        assertEquals(declared.size(), new HashSet<>(declared).size(), "no helper listed twice");
    }

    @Test
    void requiredClassesExistInTheSdk() throws ClassNotFoundException {
        for (String name : module.requiredClassNames()) {
            Class.forName(name, false, getClass().getClassLoader());
        }
    }

    @Test
    void everyHookNamesAnSdkClassAndMatchesItsMethods() throws ClassNotFoundException {
        List<Hook> hooks = module.hooks();
        assertEquals(12, hooks.size(), "6 services, each on the parsed and the raw layer");
        for (Hook hook : hooks) {
            TypeDescription type = TypeDescription.ForLoadedType.of(
                    Class.forName(hook.typeName(), false, getClass().getClassLoader()));
            Set<String> matched = new HashSet<>();
            for (MethodDescription method : type.getDeclaredMethods()) {
                if (hook.methods().matches(method)) {
                    matched.add(method.getName());
                }
            }
            Set<String> expected = hook.typeName().contains("EmbeddingService")
                    ? Set.of("create")
                    : Set.of("create", "createStreaming");
            assertEquals(expected, matched, hook.typeName());
            assertEquals(ServiceCallAdvice.class.getName(), hook.adviceClassName());
        }
    }

    @Test
    void everyHookedClassHasTheClientOptionsFieldTheAdviceReads() throws ClassNotFoundException {
        // @Advice.FieldValue("clientOptions") makes Byte Buddy reject the advice if the field is gone
        for (Hook hook : module.hooks()) {
            TypeDescription type = TypeDescription.ForLoadedType.of(
                    Class.forName(hook.typeName(), false, getClass().getClassLoader()));
            List<FieldDescription.InDefinedShape> fields = type.getDeclaredFields().stream()
                    .filter(f -> f.getName().equals("clientOptions"))
                    .toList();
            assertEquals(1, fields.size(), hook.typeName());
            assertTrue(fields.get(0).getType().asErasure().represents(ClientOptions.class), hook.typeName());
        }
    }

    @Test
    void nameIsTheModuleFolderName() {
        assertEquals("openai-java", module.name());
        assertEquals(OpenAiHooks.MODULE, module.name(), "calls and errors are counted under the module's name");
    }
}
