package dev.llmlens.instrumentation.mcp;

import dev.llmlens.instrumentation.mcp.helper.McpHooks;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;
import reactor.core.publisher.Mono;

/** Inlined into McpAsyncClient#callTool: the returned Mono becomes the traced call. */
public final class ClientCallToolAdvice {

    private ClientCallToolAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) McpSchema.CallToolRequest request) {
        request = McpHooks.withWritableMeta(request);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) McpSchema.CallToolRequest request,
            @Advice.Return(readOnly = false) Mono<McpSchema.CallToolResult> result) {
        result = McpHooks.traceClientCall(request, result);
    }
}
