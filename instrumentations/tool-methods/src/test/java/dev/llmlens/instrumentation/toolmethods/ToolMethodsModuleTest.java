package dev.llmlens.instrumentation.toolmethods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.instrumentation.testing.ModuleContract;
import dev.llmlens.instrumentation.toolmethods.helper.ToolNames;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolMethodsModuleTest {

    /** Stands in for an app's tools: two overloads of one name, another tool, and an abstract method. */
    abstract static class Tools {
        String search(String query) {
            return query;
        }

        String search(String query, int limit) {
            return query + limit;
        }

        int count() {
            return 0;
        }

        abstract String lookup(String key);
    }

    private final ToolMethodsModule module = new ToolMethodsModule();

    @Test
    void namedMethodsInEveryOverloadAreHookedAndNothingElse() throws Exception {
        String tools = Tools.class.getName();
        List<String> problems = module.configure(Map.of(ToolMethodsModule.KEY,
                " " + tools + "#search , " + tools + "#lookup,java.util.ArrayList#size")::get);

        assertEquals(List.of(), problems);
        assertEquals(Map.of(tools, Set.of("search"), "java.util.ArrayList", Set.of("size")),
                ModuleContract.matchedMethods(module, getClass().getClassLoader()), "abstract methods have no code to time");
        assertTrue(module.hooks().stream().allMatch(h -> h.adviceClassName().equals(ToolMethodAdvice.class.getName())));
        assertEquals("tool-methods", module.name());
    }

    @Test
    void malformedEntriesAreReportedAndSkipped() {
        List<String> problems = module.configure(Map.of(ToolMethodsModule.KEY,
                "com.acme.Tools#search,com.acme.Tools,#query,com.acme..Db#query,com.acme.Db#que-ry,,")::get);

        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("'com.acme.Tools'") && problems.get(0).contains("Class#method"), problems.get(0));
        assertEquals(List.of("com.acme.Tools"), module.hooks().stream().map(h -> h.typeName()).toList());
    }

    @Test
    void unsetMeansNoHooksByNameButTheToolAnnotationsStay() throws Exception {
        assertEquals(List.of(), module.configure(key -> null));
        assertEquals(List.of(), module.hooks());
        assertEquals(List.of(), module.requiredClassNames());
        assertEquals(List.of("dev.langchain4j.agent.tool.Tool", "org.springframework.ai.tool.annotation.Tool"),
                module.annotatedMethodsHooks().stream().map(h -> h.annotationTypeName()).toList());
        ModuleContract.assertHelpersAreExactlyTheCompiledHelpers(module, ToolNames.class);
    }
}
