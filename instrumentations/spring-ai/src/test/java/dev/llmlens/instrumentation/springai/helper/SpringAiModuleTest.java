package dev.llmlens.instrumentation.springai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import dev.llmlens.instrumentation.springai.SpringAiModule;
import dev.llmlens.instrumentation.testing.ModuleContract;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The module's declarations against what was compiled and against the real Spring AI 1.1 jars. */
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
        // spring-ai-mcp's callbacks are not on this class path: SpringAiAgentIT runs them on 2.0
        InstrumentationModule withoutMcp = new InstrumentationModule() {
            @Override
            public String name() {
                return module.name();
            }

            @Override
            public List<String> requiredClassNames() {
                return module.requiredClassNames();
            }

            @Override
            public List<String> helperClassNames() {
                return module.helperClassNames();
            }

            @Override
            public List<Hook> hooks() {
                return module.hooks().stream().filter(hook -> !hook.typeName().startsWith("org.springframework.ai.mcp.")).toList();
            }
        };
        Map<String, Set<String>> matched = ModuleContract.matchedMethods(withoutMcp, getClass().getClassLoader());
        String ai = "org.springframework.ai.";
        Set<String> chat = Set.of("internalCall", "stream");
        assertEquals(Map.of(
                ai + "openai.OpenAiChatModel", chat,
                ai + "anthropic.AnthropicChatModel", chat,
                ai + "ollama.OllamaChatModel", chat,
                ai + "openai.OpenAiEmbeddingModel", Set.of("call"),
                ai + "ollama.OllamaEmbeddingModel", Set.of("call"),
                ai + "model.tool.DefaultToolCallingManager", Set.of("executeToolCalls"),
                ai + "tool.method.MethodToolCallback", Set.of("call"),
                ai + "tool.function.FunctionToolCallback", Set.of("call"),
                ai + "chat.client.DefaultChatClient$DefaultCallResponseSpec", Set.of("doGetObservableChatClientResponse")),
                matched);
    }

    @Test
    void nameIsTheModuleFolderName() {
        assertEquals("spring-ai", module.name());
        assertEquals(SpringAiHooks.MODULE, module.name());
    }
}
