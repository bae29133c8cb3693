package dev.llmlens.instrumentation.springai.helper;

import java.lang.reflect.Method;
import java.util.Collection;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/** Whether a request declares tools Spring AI will run itself, i.e. whether it can become a tool loop. */
final class ToolDeclarations {

    /**
     * Tool names (resolved through a ToolCallbackResolver) and the switch that hands tool calls back to
     * the app exist in 1.1 only; 2.0 removed both from ToolCallingChatOptions. They are called by
     * reflection: the agent checks every method a helper's bytecode names against the framework before
     * it turns the module on, and a direct call would turn it off for 2.0 altogether.
     */
    private static final Method TOOL_NAMES = methodOrNull("getToolNames");
    private static final Method INTERNAL_EXECUTION_SWITCH = methodOrNull("getInternalToolExecutionEnabled");

    private ToolDeclarations() {}

    static boolean declaresTools(Object prompt) throws ReflectiveOperationException {
        ChatOptions options = prompt instanceof Prompt p ? p.getOptions() : null;
        if (!(options instanceof ToolCallingChatOptions tools)) {
            return false;
        }
        if (INTERNAL_EXECUTION_SWITCH != null && Boolean.FALSE.equals(INTERNAL_EXECUTION_SWITCH.invoke(tools))) {
            return false; // the app runs the tools itself: one round trip, no loop here
        }
        return notEmpty(tools.getToolCallbacks())
                || TOOL_NAMES != null && TOOL_NAMES.invoke(tools) instanceof Collection<?> names && notEmpty(names);
    }

    private static boolean notEmpty(Collection<?> values) {
        return values != null && !values.isEmpty();
    }

    private static Method methodOrNull(String name) {
        try {
            return ToolCallingChatOptions.class.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
