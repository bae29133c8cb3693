package dev.llmlens.instrumentation.toolmethods;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.llmlens.instrumentation.api.AnnotatedMethodsHook;
import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Tools no framework hook sees. {@code llmlens.tools.methods=com.acme.Tools#search,com.acme.Db#query}:
 * each named method, in every overload, becomes an {@code execute_tool {method}} span (exact class
 * names, like every other hook). And every method annotated with LangChain4j's or Spring AI's
 * {@code @Tool}, wherever it is called from; when the framework's own tool hook also sees the call,
 * the two fold into one span.
 */
public final class ToolMethodsModule implements InstrumentationModule {

    static final String KEY = "llmlens.tools.methods";
    static final String NAME = "tool-methods";

    private final Map<String, Set<String>> methodsByClass = new LinkedHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> configure(Function<String, String> setting) {
        methodsByClass.clear();
        String value = setting.apply(KEY);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int hash = trimmed.indexOf('#');
            String className = hash < 0 ? "" : trimmed.substring(0, hash);
            String method = hash < 0 ? "" : trimmed.substring(hash + 1);
            if (!isJavaName(className, true) || !isJavaName(method, false)) {
                problems.add("ignoring '" + trimmed + "' in " + KEY + ": expected fully.qualified.Class#method,"
                        + " e.g. com.acme.Tools#search");
                continue;
            }
            methodsByClass.computeIfAbsent(className, k -> new TreeSet<>()).add(method);
        }
        return problems;
    }

    private static boolean isJavaName(String name, boolean qualified) {
        if (name.isEmpty()) {
            return false;
        }
        for (String part : qualified ? name.split("\\.", -1) : new String[] {name}) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))
                    || !part.chars().skip(1).allMatch(c -> Character.isJavaIdentifierPart(c) || c == '$')) {
                return false;
            }
        }
        return true;
    }

    /** The user's own classes: nothing has to exist first, and there is nothing to check against. */
    @Override
    public List<String> requiredClassNames() {
        return List.of();
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(
                "dev.llmlens.instrumentation.toolmethods.helper.ToolValues",
                "dev.llmlens.instrumentation.toolmethods.helper.ToolNames");
    }

    static final List<String> TOOL_ANNOTATIONS = List.of(
            "dev.langchain4j.agent.tool.Tool",
            "org.springframework.ai.tool.annotation.Tool");

    @Override
    public List<AnnotatedMethodsHook> annotatedMethodsHooks() {
        return TOOL_ANNOTATIONS.stream()
                .map(annotation -> new AnnotatedMethodsHook(annotation, AnnotatedToolAdvice.class.getName()))
                .toList();
    }

    @Override
    public List<Hook> hooks() {
        List<Hook> hooks = new ArrayList<>();
        methodsByClass.forEach((type, methods) -> {
            var matcher = not(isAbstract()).and(named(methods.iterator().next()));
            for (String method : methods) {
                matcher = matcher.or(not(isAbstract()).and(named(method)));
            }
            hooks.add(new Hook(type, matcher, ToolMethodAdvice.class.getName()));
        });
        return hooks;
    }
}
