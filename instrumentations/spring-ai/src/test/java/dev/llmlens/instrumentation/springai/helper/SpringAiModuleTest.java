package dev.llmlens.instrumentation.springai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.instrumentation.springai.SpringAiModule;
import dev.llmlens.instrumentation.testing.ModuleContract;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module's declarations against what was compiled and against the real Spring AI jars (spring-ai-mcp's included). */
class SpringAiModuleTest {

    private final SpringAiModule module = new SpringAiModule();

    @Test
    void helperClassNamesAreExactlyTheCompiledHelpers() throws Exception {
        ModuleContract.assertHelpersAreExactlyTheCompiledHelpers(module, SpringAiHooks.class);
    }

    @Test
    void requiredClassesExistInTheFramework() throws ClassNotFoundException {
        ModuleContract.assertRequiredClassesExist(module, getClass().getClassLoader());
    }

    @Test
    void hooksMatchExactlyTheMethodsMeant() throws ClassNotFoundException {
        Map<String, Set<String>> matched = ModuleContract.matchedMethods(module, getClass().getClassLoader());
        String ai = "org.springframework.ai.";
        Set<String> chat = Set.of("internalCall", "stream");
        Map<String, Set<String>> expected = new HashMap<>(Map.of(
                ai + "openai.OpenAiChatModel", chat,
                ai + "anthropic.AnthropicChatModel", chat,
                ai + "ollama.OllamaChatModel", chat,
                ai + "openai.OpenAiEmbeddingModel", Set.of("call"),
                ai + "ollama.OllamaEmbeddingModel", Set.of("call"),
                ai + "model.tool.DefaultToolCallingManager", Set.of("executeToolCalls"),
                ai + "tool.method.MethodToolCallback", Set.of("call"),
                ai + "tool.function.FunctionToolCallback", Set.of("call"),
                ai + "chat.client.DefaultChatClient$DefaultCallResponseSpec", Set.of("doGetObservableChatClientResponse")));
        expected.put(ai + "mcp.SyncMcpToolCallback", Set.of("call"));
        expected.put(ai + "mcp.AsyncMcpToolCallback", Set.of("call"));
        assertEquals(expected, matched);
    }

    @Test
    void nameIsTheModuleFolderName() {
        assertEquals("spring-ai", module.name());
        assertEquals(SpringAiHooks.MODULE, module.name());
    }
}
