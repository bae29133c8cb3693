package dev.llmlens.instrumentation.toolmethods;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

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
 * {@code llmlens.tools.methods=com.acme.Tools#search,com.acme.Db#query}: each named method, in every
 * overload, becomes an {@code execute_tool {method}} span. Exact class names only, like every other
 * hook: naming a class costs nothing for the classes not named.
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

    /** The advice talks to the bootstrap facade only. */
    @Override
    public List<String> helperClassNames() {
        return List.of();
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
