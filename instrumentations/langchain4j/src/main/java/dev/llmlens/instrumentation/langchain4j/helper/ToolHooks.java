package dev.llmlens.instrumentation.langchain4j.helper;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.TextContent;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One tool execution per {@code ToolExecutionRequest} the dispatcher (or {@code DefaultToolExecutor})
 * runs, whatever the executor is. langchain4j catches a tool's exception and sends its message back
 * to the model, so the error is taken where it is still an exception: the reflective call of the
 * {@code @Tool} method, or the cause the dispatcher unwraps before its error handlers.
 */
public final class ToolHooks {

    private static final String RESULT_CLASS = "dev.langchain4j.service.tool.ToolExecutionResult";

    /** The tool executions running on this thread, innermost first (a tool may call an AI service). */
    private static final ThreadLocal<ArrayDeque<ToolCall>> RUNNING = ThreadLocal.withInitial(ArrayDeque::new);

    private ToolHooks() {}

    public static ToolCall starting(Object request) {
        try {
            if (!(request instanceof ToolExecutionRequest toolRequest)) {
                return null;
            }
            ToolCall tool = new ToolCall(ChatHooks.MODULE, toolRequest.name());
            tool.toolCallId = toolRequest.id();
            tool.arguments = toolRequest.arguments();
            tool.dispatcher = true;
            LlmLens.start(tool);
            RUNNING.get().push(tool);
            return tool;
        } catch (Throwable t) {
            LlmLens.instrumentationError(ChatHooks.MODULE, t);
            return null;
        }
    }

    /** @param result a {@code ToolExecutionResult} (lines with the dispatcher) or the result text */
    public static void finished(ToolCall tool, Object result, Throwable error) {
        if (tool == null) {
            return;
        }
        RUNNING.get().remove(tool);
        try {
            if (error == null && tool.error == null && isErrorResult(result)) {
                // an executor that reported the failure in-band, without an exception we could see
                tool.errorType = "tool_error";
            }
            if (error == null && tool.error == null && LlmLens.capturesContent()) {
                // what a tool that threw "returned" is langchain4j's error text: the error says it already
                tool.result = resultText(result);
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(ChatHooks.MODULE, t);
        } finally {
            LlmLens.end(tool, error);
        }
    }

    /** The reflective call of a @Tool method threw: only the method's own exception is the tool's error. */
    public static void toolCodeThrew(Throwable thrown) {
        if (thrown instanceof InvocationTargetException invocation && invocation.getCause() != null) {
            toolThrew(invocation.getCause());
        }
    }

    /** What the running tool threw, as the dispatcher unwrapped it; the first one seen is kept. */
    public static void toolThrew(Throwable cause) {
        ToolCall tool = RUNNING.get().peek();
        if (tool != null && cause != null && tool.error == null) {
            tool.error = cause;
        }
    }

    /** The text sent back to the model: the executor's String, or the dispatcher result's text contents. */
    private static String resultText(Object result) {
        if (result == null || result instanceof String) {
            return (String) result;
        }
        if (Reflection.call(result, "resultContents") instanceof List<?> contents) {
            StringBuilder text = null;
            for (Object content : contents) {
                if (content instanceof TextContent part) {
                    text = text == null ? new StringBuilder() : text.append('\n');
                    text.append(part.text());
                }
            }
            return text == null ? null : text.toString();
        }
        return Reflection.call(result, "resultText") instanceof String text ? text : null;
    }

    private static boolean isErrorResult(Object result) {
        return result != null && RESULT_CLASS.equals(result.getClass().getName())
                && Boolean.TRUE.equals(Reflection.call(result, "isError"));
    }
}
