package dev.llmlens.instrumentation.openai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.ClientOptions;
import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.testing.ModuleContract;
import dev.llmlens.instrumentation.openai.OpenAiJavaModule;
import dev.llmlens.instrumentation.openai.ServiceCallAdvice;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/** The module's declarations against what was compiled and against the real openai-java jar. */
class OpenAiJavaModuleTest {

    private final OpenAiJavaModule module = new OpenAiJavaModule();

    @Test
    void helperClassNamesAreExactlyTheCompiledHelpers() throws Exception {
        ModuleContract.assertHelpersAreExactlyTheCompiledHelpers(module, OpenAiHooks.class);
    }

    @Test
    void requiredClassesExistInTheSdk() throws ClassNotFoundException {
        ModuleContract.assertRequiredClassesExist(module, getClass().getClassLoader());
    }

    @Test
    void everyHookNamesAnSdkClassAndMatchesItsMethods() throws ClassNotFoundException {
        List<Hook> hooks = module.hooks();
        assertEquals(12, hooks.size(), "6 services, each on the parsed and the raw layer");
        Map<String, Set<String>> matched = ModuleContract.matchedMethods(module, getClass().getClassLoader());
        assertEquals(12, matched.size(), "one hook a class");
        for (Hook hook : hooks) {
            Set<String> expected = hook.typeName().contains("EmbeddingService")
                    ? Set.of("create")
                    : Set.of("create", "createStreaming");
            assertEquals(expected, matched.get(hook.typeName()), hook.typeName());
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
