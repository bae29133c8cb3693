package dev.llmlens.instrumentation.toolmethods.helper;

import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The name a framework gives a {@code @Tool} method: the annotation's {@code name} when set, else the
 * method's name (LangChain4j and Spring AI agree on that). The same name lets the framework's own tool
 * hook and this one fold into one span. Read by reflection, without linking to either framework.
 */
public final class ToolNames {

    static final String MODULE = "tool-methods";
    private static final Map<Method, String> NAMES = new ConcurrentHashMap<>();

    private ToolNames() {}

    public static ToolCall enter(Method method) {
        try {
            return LlmLens.startTool(MODULE, NAMES.computeIfAbsent(method, ToolNames::nameOf));
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    static String nameOf(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            // only methods with one of the hooked @Tool annotations get here; both are named Tool
            if (annotation.annotationType().getSimpleName().equals("Tool")) {
                try {
                    Object name = annotation.annotationType().getMethod("name").invoke(annotation);
                    if (name instanceof String s && !s.isBlank()) {
                        return s;
                    }
                } catch (ReflectiveOperationException e) {
                    // an annotation without a name attribute: the method's name it is
                }
            }
        }
        return method.getName();
    }
}
