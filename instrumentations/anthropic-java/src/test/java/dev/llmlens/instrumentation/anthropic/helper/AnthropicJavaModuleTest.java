package dev.llmlens.instrumentation.anthropic.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.instrumentation.anthropic.AnthropicJavaModule;
import dev.llmlens.instrumentation.testing.ModuleContract;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module's declarations against what was compiled and against the real anthropic-java jar. */
class AnthropicJavaModuleTest {

    private static final boolean SDK_3X = !System.getProperty("anthropic.expected.version").startsWith("2.");
    private final AnthropicJavaModule module = new AnthropicJavaModule();

    @Test
    void helperClassNamesAreExactlyTheCompiledHelpers() throws Exception {
        ModuleContract.assertHelpersAreExactlyTheCompiledHelpers(module, AnthropicHooks.class);
    }

    @Test
    void requiredClassesExistInTheSdk() throws ClassNotFoundException {
        ModuleContract.assertRequiredClassesExist(module, getClass().getClassLoader());
    }

    @Test
    void hooksMatchExactlyTheMethodsMeant() throws Exception {
        var sdk = getClass().getClassLoader();
        // the tool-code class of the other SDK line is absent here: that hook never matches
        var present = new dev.llmlens.instrumentation.api.InstrumentationModule() {
            @Override
            public String name() {
                return module.name();
            }

            @Override
            public java.util.List<String> requiredClassNames() {
                return module.requiredClassNames();
            }

            @Override
            public java.util.List<String> helperClassNames() {
                return module.helperClassNames();
            }

            @Override
            public java.util.List<dev.llmlens.instrumentation.api.Hook> hooks() {
                return module.hooks().stream().filter(hook -> exists(hook.typeName())).toList();
            }
        };
        Map<String, Set<String>> matched = ModuleContract.matchedMethods(present, sdk);
        Set<String> both = Set.of("create", "createStreaming");
        Set<String> raw = Set.of("create");
        Map<String, Set<String>> expected = new java.util.TreeMap<>(Map.of(
                "com.anthropic.services.blocking.MessageServiceImpl", both,
                "com.anthropic.services.blocking.MessageServiceImpl$WithRawResponseImpl", raw,
                "com.anthropic.services.async.MessageServiceAsyncImpl", both,
                "com.anthropic.services.async.MessageServiceAsyncImpl$WithRawResponseImpl", raw,
                "com.anthropic.services.blocking.beta.MessageServiceImpl", both,
                "com.anthropic.services.blocking.beta.MessageServiceImpl$WithRawResponseImpl", raw,
                "com.anthropic.services.async.beta.MessageServiceAsyncImpl", both,
                "com.anthropic.services.async.beta.MessageServiceAsyncImpl$WithRawResponseImpl", raw,
                "com.anthropic.helpers.BetaToolRunner", Set.of("iterator", "streaming", "generateGenericToolUseResult")));
        if (SDK_3X) {
            expected.put("com.anthropic.helpers.BetaRunnableTool", Set.of("run$anthropic_java_core"));
        } else {
            expected.put("com.anthropic.models.beta.messages.RunnableTool$FromClass", Set.of("run"));
        }
        assertEquals(expected, matched);
    }

    @Test
    void everyServiceHookHasTheClientOptionsFieldTheAdviceReads() throws Exception {
        // @Advice.FieldValue("clientOptions") makes Byte Buddy reject the advice if the field is gone
        for (var hook : module.hooks()) {
            if (hook.adviceClassName().endsWith("ServiceCallAdvice")) {
                Class<?> service = Class.forName(hook.typeName(), false, getClass().getClassLoader());
                assertEquals(com.anthropic.core.ClientOptions.class, service.getDeclaredField("clientOptions").getType(),
                        hook.typeName());
            }
        }
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, AnthropicJavaModuleTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void nameIsTheModuleFolderName() {
        assertEquals("anthropic-java", module.name());
        assertEquals(AnthropicHooks.MODULE, module.name(), "calls and errors are counted under the module's name");
    }
}
