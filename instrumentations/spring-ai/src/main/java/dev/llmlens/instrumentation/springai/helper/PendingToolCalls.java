package dev.llmlens.instrumentation.springai.helper;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * The tool calls a response asked for, while the tool calling manager runs them: a ToolCallback is
 * handed only the arguments, so its call id is found here by tool name and arguments.
 */
final class PendingToolCalls {

    private final List<AssistantMessage.ToolCall> calls = new ArrayList<>();

    static PendingToolCalls of(ChatResponse response) {
        PendingToolCalls pending = new PendingToolCalls();
        if (response.getResults() != null) {
            for (Generation generation : response.getResults()) {
                AssistantMessage message = generation == null ? null : generation.getOutput();
                if (message != null && message.getToolCalls() != null) {
                    pending.calls.addAll(message.getToolCalls());
                }
            }
        }
        return pending;
    }

    /** @return the id of the first not yet run call of {@code toolName} with these arguments (or any arguments) */
    synchronized String take(String toolName, String arguments) {
        AssistantMessage.ToolCall match = null;
        for (AssistantMessage.ToolCall call : calls) {
            if (Objects.equals(call.name(), toolName)) {
                if (Objects.equals(call.arguments(), arguments)) {
                    match = call;
                    break;
                }
                if (match == null) {
                    match = call;
                }
            }
        }
        if (match == null) {
            return null;
        }
        calls.remove(match);
        return match.id() == null || match.id().isEmpty() ? null : match.id();
    }
}
