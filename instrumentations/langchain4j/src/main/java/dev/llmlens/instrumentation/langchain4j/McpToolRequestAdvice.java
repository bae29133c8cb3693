package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.instrumentation.langchain4j.helper.McpClientHooks;
import net.bytebuddy.asm.Advice;

/** langchain4j-mcp's tools/call request constructors: the request carries the call's trace context. */
public final class McpToolRequestAdvice {

    private McpToolRequestAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object request) {
        McpClientHooks.built(request);
    }
}
