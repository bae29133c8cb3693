package dev.llmlens.instrumentation.mcp;

import dev.llmlens.instrumentation.mcp.helper.McpHooks;
import java.util.function.BiFunction;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the sync tool specification records' constructors: the server runs a sync handler on a
 * worker thread, where the handler gets the SERVER span of its execution current again.
 */
public final class SyncToolSpecificationAdvice {

    private SyncToolSpecificationAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.FieldValue(value = "callHandler", readOnly = false) BiFunction<?, ?, ?> callHandler) {
        callHandler = McpHooks.joinServerExecution(callHandler);
    }
}
