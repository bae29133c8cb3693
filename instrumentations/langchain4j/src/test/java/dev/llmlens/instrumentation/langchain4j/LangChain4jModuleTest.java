package dev.llmlens.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import dev.llmlens.instrumentation.langchain4j.helper.ChatHooks;
import dev.llmlens.instrumentation.testing.ModuleContract;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The module's declarations against what was compiled and against the real langchain4j jars. */
class LangChain4jModuleTest {

    private final LangChain4jModule module = new LangChain4jModule();

    @Test
    void helperClassNamesAreExactlyTheCompiledHelpers() throws Exception {
        ModuleContract.assertHelpersAreExactlyTheCompiledHelpers(module, ChatHooks.class);
    }

    @Test
    void requiredClassesExistInTheLibrary() throws ClassNotFoundException {
        ModuleContract.assertRequiredClassesExist(module, getClass().getClassLoader());
    }

    @Test
    void hooksMatchExactlyTheMethodsMeant() throws Exception {
        InstrumentationModule present = new InstrumentationModule() {
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
                return module.hooks().stream().filter(hook -> exists(hook.typeName())).toList();
            }
        };
        Map<String, Set<String>> expected = new TreeMap<>(Map.of(
                "dev.langchain4j.model.chat.ChatModel", Set.of("chat"),
                "dev.langchain4j.model.chat.StreamingChatModel", Set.of("chat"),
                "dev.langchain4j.model.chat.ChatModelListenerUtils", Set.of("onRequest", "onResponse", "onError"),
                "dev.langchain4j.model.chat.StreamingChatModel$1", LangChain4jHooksTest.HAS_TOOL_DISPATCHER
                        ? Set.of("onPartialResponse", "onPartialThinking", "onPartialToolCall") : Set.of("onPartialResponse"),
                "dev.langchain4j.model.embedding.EmbeddingModel", LangChain4jHooksTest.HAS_TOOL_DISPATCHER
                        ? Set.of("embed", "embedAll") : Set.of("embed"),
                "dev.langchain4j.service.DefaultAiServices$1", Set.of("invoke"),
                "dev.langchain4j.service.tool.DefaultToolExecutor", Set.of("execute")));
        // 1.0: embedAll is the provider's own; newer lines have ToolService's dispatcher instead
        expected.put("dev.langchain4j.model.openai.OpenAiEmbeddingModel",
                LangChain4jHooksTest.HAS_TOOL_DISPATCHER ? Set.of() : Set.of("embedAll"));
        expected.put("dev.langchain4j.service.tool.ToolService",
                LangChain4jHooksTest.HAS_TOOL_DISPATCHER ? Set.of("executeWithErrorHandling", "getCause") : Set.of());
        // langchain4j-mcp's client, at the version of each line (its request class moved package after 1.0.0-beta5)
        expected.put("dev.langchain4j.mcp.client.DefaultMcpClient", Set.of("executeTool"));
        String mcpRequest = LangChain4jHooksTest.HAS_TOOL_DISPATCHER ? "dev.langchain4j.mcp.protocol.McpCallToolRequest"
                : "dev.langchain4j.mcp.client.protocol.McpCallToolRequest";
        expected.put(mcpRequest, Set.of(mcpRequest)); // its constructors
        assertEquals(expected, ModuleContract.matchedMethods(present, getClass().getClassLoader()));
    }

    @Test
    void chatHooksMatchOneMethodPerLayerOfEachLine() throws Exception {
        // 1.0 has chat(ChatRequest) only; newer lines add the overload with ChatRequestOptions that it delegates to
        int expected = LangChain4jHooksTest.HAS_TOOL_DISPATCHER ? 2 : 1;
        for (String type : List.of("dev.langchain4j.model.chat.ChatModel", "dev.langchain4j.model.chat.StreamingChatModel")) {
            Hook hook = module.hooks().stream().filter(h -> h.typeName().equals(type)).findFirst().orElseThrow();
            long matched = net.bytebuddy.description.type.TypeDescription.ForLoadedType.of(Class.forName(type))
                    .getDeclaredMethods().stream().filter(hook.methods()::matches).count();
            assertEquals(expected, matched, type);
        }
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, LangChain4jModuleTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
