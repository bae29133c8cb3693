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

    public static final String MODULE = "tool-methods";
    private static final Map<Method, String> NAMES = new ConcurrentHashMap<>();

    private ToolNames() {}

    /** @param arguments the call's arguments, only when content capture is on; else null */
    public static ToolCall enter(Method method, Object[] arguments) {
        try {
            return enter(NAMES.computeIfAbsent(method, ToolNames::nameOf), method, arguments);
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
            return null;
        }
    }

    /** A tool whose arguments are known before it starts: an outer hook on the same execution may take them. */
    public static ToolCall enter(String toolName, Method method, Object[] arguments) {
        ToolCall tool = new ToolCall(MODULE, toolName);
        if (arguments != null) {
            try {
                tool.arguments = ToolValues.arguments(method.getParameters(), arguments);
            } catch (Throwable t) {
                // an argument's toString threw: the call is traced all the same, without its arguments
                LlmLens.instrumentationError(MODULE, t);
            }
        }
        LlmLens.start(tool);
        return tool;
    }

    /** @param result the returned value, only when content capture is on; else null */
    public static void exit(ToolCall tool, Object result, Throwable error) {
        if (tool == null) {
            return;
        }
        if (result != null && error == null) {
            try {
                tool.result = ToolValues.result(result);
            } catch (Throwable t) {
                LlmLens.instrumentationError(MODULE, t);
            }
        }
        LlmLens.end(tool, error);
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
