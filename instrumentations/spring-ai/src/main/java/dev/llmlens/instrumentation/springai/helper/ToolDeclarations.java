package dev.llmlens.instrumentation.springai.helper;

import java.util.Collection;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/** Whether a request declares tools Spring AI will run itself, i.e. whether it can become a tool loop. */
final class ToolDeclarations {

    /**
     * Tool names (resolved through a ToolCallbackResolver) and the switch that hands tool calls back to
     * the app exist in 1.1 only; 2.0 removed both from ToolCallingChatOptions.
     */
    private static final boolean HAS_TOOL_NAMES = hasMethod("getToolNames");
    private static final boolean HAS_INTERNAL_EXECUTION_SWITCH = hasMethod("getInternalToolExecutionEnabled");

    private ToolDeclarations() {}

    static boolean declaresTools(Object prompt) {
        ChatOptions options = prompt instanceof Prompt p ? p.getOptions() : null;
        if (!(options instanceof ToolCallingChatOptions tools)) {
            return false;
        }
        if (HAS_INTERNAL_EXECUTION_SWITCH && Boolean.FALSE.equals(tools.getInternalToolExecutionEnabled())) {
            return false; // the app runs the tools itself: one round trip, no loop here
        }
        return notEmpty(tools.getToolCallbacks()) || HAS_TOOL_NAMES && notEmpty(tools.getToolNames());
    }

    private static boolean notEmpty(Collection<?> values) {
        return values != null && !values.isEmpty();
    }

    private static boolean hasMethod(String name) {
        try {
            ToolCallingChatOptions.class.getMethod(name);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
