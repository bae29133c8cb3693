package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.langchain4j.helper.McpClientHooks;
import net.bytebuddy.asm.Advice;

/** langchain4j-mcp's DefaultMcpClient#executeTool: one tools/call. */
public final class McpExecuteToolAdvice {

    private McpExecuteToolAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static ToolCall enter(@Advice.Argument(0) Object request) {
        return McpClientHooks.calling(request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter ToolCall call, @Advice.Thrown Throwable error) {
        McpClientHooks.called(call, error);
    }
}
