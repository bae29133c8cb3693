package dev.llmlens.instrumentation.mcp.helper;

import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import java.util.function.Supplier;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * A tools/call as a lazy Mono: each subscription is one call, its span starts then and ends on
 * success, error or cancel. The span is current while the source is subscribed, so what that does on
 * this thread (a nested hook on the same call) nests under it.
 */
final class TracedToolCall extends Mono<CallToolResult> {

    private final Supplier<Mono<CallToolResult>> source;
    private final Supplier<ToolCall> newCall;
    /** The request's _meta to send the trace context in, on the client; null on the server. */
    private final Map<String, Object> outgoingMeta;
    /** The request this server executes, for a sync handler to find its span by; null on the client. */
    private final CallToolRequest executing;

    TracedToolCall(Supplier<Mono<CallToolResult>> source, Supplier<ToolCall> newCall, Map<String, Object> outgoingMeta,
            CallToolRequest executing) {
        this.source = source;
        this.newCall = newCall;
        this.outgoingMeta = outgoingMeta;
        this.executing = executing;
    }

    @Override
    public void subscribe(CoreSubscriber<? super CallToolResult> actual) {
        ToolCall call = null;
        try {
            call = newCall.get();
            LlmLens.start(call);
            McpHooks.inject(call, outgoingMeta);
            McpHooks.executing(executing, call);
        } catch (Throwable t) {
            LlmLens.instrumentationError(McpHooks.MODULE, t);
        }
        Mono<CallToolResult> mono;
        try {
            mono = source.get();
        } catch (Throwable t) {
            mono = Mono.error(t); // the server turns a throwing handler into an error response all the same
        }
        if (call == null) {
            mono.subscribe(actual);
            return;
        }
        ToolCall traced = call;
        try {
            mono.doOnSuccess(result -> McpHooks.ended(traced, result))
                    .doOnError(error -> LlmLens.end(traced, error))
                    .doOnCancel(() -> LlmLens.end(traced))
                    .doFinally(signal -> McpHooks.executed(executing))
                    .subscribe(actual);
        } finally {
            LlmLens.leave(traced);
        }
    }
}
