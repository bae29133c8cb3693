package dev.llmlens.instrumentation.bedrock.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.instrumentation.bedrock.BedrockRuntimeModule;
import dev.llmlens.instrumentation.testing.ModuleContract;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module's declarations against what was compiled and against the real bedrockruntime jar. */
class BedrockRuntimeModuleTest {

    private final BedrockRuntimeModule module = new BedrockRuntimeModule();

    @Test
    void helperClassNamesAreExactlyTheCompiledHelpers() throws Exception {
        ModuleContract.assertHelpersAreExactlyTheCompiledHelpers(module, BedrockHooks.class);
    }

    @Test
    void requiredClassesExistInTheSdk() throws ClassNotFoundException {
        ModuleContract.assertRequiredClassesExist(module, getClass().getClassLoader());
    }

    @Test
    void hooksMatchExactlyTheRequestObjectMethods() throws ClassNotFoundException {
        Map<String, Set<String>> matched = ModuleContract.matchedMethods(module, getClass().getClassLoader());
        String service = "software.amazon.awssdk.services.bedrockruntime.";
        assertEquals(Map.of(
                service + "DefaultBedrockRuntimeClient", Set.of("converse", "invokeModel"),
                service + "DefaultBedrockRuntimeAsyncClient",
                Set.of("converse", "invokeModel", "converseStream", "invokeModelWithResponseStream")), matched);
    }

    @Test
    void hookedClassesHaveTheConfigurationFieldTheAdviceReads() throws Exception {
        for (String client : new String[] {"DefaultBedrockRuntimeClient", "DefaultBedrockRuntimeAsyncClient"}) {
            Class<?> type = Class.forName("software.amazon.awssdk.services.bedrockruntime." + client);
            assertEquals("software.amazon.awssdk.core.client.config.SdkClientConfiguration",
                    type.getDeclaredField("clientConfiguration").getType().getName(), client);
        }
    }

    @Test
    void nameIsTheModuleFolderName() {
        assertEquals("aws-bedrock-runtime", module.name());
        assertEquals(BedrockHooks.MODULE, module.name());
    }
}
