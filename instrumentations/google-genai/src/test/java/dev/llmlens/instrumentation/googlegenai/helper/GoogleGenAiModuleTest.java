package dev.llmlens.instrumentation.googlegenai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.instrumentation.googlegenai.GoogleGenAiModule;
import dev.llmlens.instrumentation.testing.ModuleContract;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module's declarations against what was compiled and against the real google-genai jar. */
class GoogleGenAiModuleTest {

    private final GoogleGenAiModule module = new GoogleGenAiModule();

    @Test
    void helperClassNamesAreExactlyTheCompiledHelpers() throws Exception {
        ModuleContract.assertHelpersAreExactlyTheCompiledHelpers(module, GoogleGenAiHooks.class);
    }

    @Test
    void requiredClassesExistInTheSdk() throws ClassNotFoundException {
        ModuleContract.assertRequiredClassesExist(module, getClass().getClassLoader());
    }

    @Test
    void hooksMatchExactlyTheMethodsMeant() throws ClassNotFoundException {
        // merged per class: Models and AsyncModels each carry two hooks (round trips, the AFC entry)
        Map<String, Set<String>> matched = ModuleContract.matchedMethods(module, getClass().getClassLoader());
        Set<String> models = Set.of("privateGenerateContent", "privateGenerateContentStream", "privateEmbedContent",
                "generateContent");
        assertEquals(Map.of(
                "com.google.genai.Models", models,
                "com.google.genai.AsyncModels", union(models, "privateGenerateContentLoopAsync"),
                "com.google.genai.AfcUtil", Set.of("getFunctionResponseParts", "getFunctionResponse"),
                "com.google.genai.ResponseStream$ResponseStreamIterator", Set.of("next", "hasNext"),
                "com.google.genai.ResponseStream", Set.of("close")), matched);
    }

    @Test
    void generateContentIsHookedOnlyOnTheOverloadTheOthersDelegateTo() throws ClassNotFoundException {
        long hooked = 0;
        for (var hook : module.hooks()) {
            Class<?> type = Class.forName(hook.typeName(), false, getClass().getClassLoader());
            for (var method : net.bytebuddy.description.type.TypeDescription.ForLoadedType.of(type).getDeclaredMethods()) {
                if (method.getName().equals("generateContent") && hook.methods().matches(method)) {
                    hooked++;
                    assertEquals("java.util.List", method.getParameters().get(1).getType().asErasure().getName());
                }
            }
        }
        assertEquals(2, hooked, "Models and AsyncModels, once each: no nested run for the String/Content overloads");
    }

    @Test
    void nameIsTheModuleFolderName() {
        assertEquals("google-genai", module.name());
        assertEquals(GoogleGenAiHooks.MODULE, module.name());
    }

    private static Set<String> union(Set<String> set, String more) {
        var copy = new java.util.HashSet<>(set);
        copy.add(more);
        return copy;
    }
}
