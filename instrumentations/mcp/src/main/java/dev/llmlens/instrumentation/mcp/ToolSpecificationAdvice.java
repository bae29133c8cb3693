package dev.llmlens.instrumentation.mcp;

import dev.llmlens.instrumentation.mcp.helper.McpHooks;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.function.BiFunction;
import net.bytebuddy.asm.Advice;

/** Inlined into the tool specification records' constructors: the handler they keep is the traced one. */
public final class ToolSpecificationAdvice {

    private ToolSpecificationAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.FieldValue("tool") McpSchema.Tool tool,
            @Advice.FieldValue(value = "callHandler", readOnly = false) BiFunction<?, ?, ?> callHandler) {
        callHandler = McpHooks.traceServerHandler(tool, callHandler);
    }
}
