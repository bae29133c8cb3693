package dev.llmlens.instrumentation.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Operation;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.testing.InstalledHooks;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/** The hooks applied to the real MCP SDK (1.0.0, and in a second run the newest). */
class McpHooksTest {

    static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    @BeforeAll
    static void hook() {
        InstalledHooks.ensure(new McpModule());
    }

    /** The recording observer, plus a traceparent per started call as the agent gives one. */
    @BeforeEach
    void withTraceparents() {
        LlmLens.install(new CallObserver() {
            @Override public void onStart(Operation operation) { observer.onStart(operation); }
            @Override public void onLeave(Operation operation) { observer.onLeave(operation); }
            @Override public void onEnd(Operation operation) { observer.onEnd(operation); }
            @Override public void onInstrumentationError(String module, Throwable error) {
                observer.onInstrumentationError(module, error);
            }
            @Override public String traceparent(Operation operation) {
                return PARENT.replace("b7ad6b7169203331", String.format("%016x", observer.started.indexOf(operation) + 1));
            }
        });
    }

    @AfterEach
    void captureOff() {
        LlmLens.captureContent(false);
    }

    private static McpSchema.Tool tool(String name) {
        return McpSchema.Tool.builder().name(name).inputSchema(new McpSchema.JsonSchema("object", Map.of(), List.of(),
                null, null, null)).build();
    }

    private static CallToolResult text(String text, boolean isError) {
        return new CallToolResult(List.of(new McpSchema.TextContent(text)), isError, null, null);
    }

    @Test
    void aServerToolExecutionIsAServerSpanContinuingTheCallersTrace() {
        var spec = new McpServerFeatures.AsyncToolSpecification(tool("get_weather"),
                (exchange, request) -> Mono.just(text("sunny", false)));
        CallToolResult result = spec.callHandler()
                .apply(null, new CallToolRequest("get_weather", Map.of("city", "Paris"), Map.of("traceparent", PARENT)))
                .block();

        assertEquals("sunny", ((McpSchema.TextContent) result.content().get(0)).text());
        ToolCall call = (ToolCall) observer.started.get(0);
        assertEquals(1, observer.started.size());
        assertEquals("get_weather", call.toolName);
        assertEquals("tools/call", call.mcpMethod);
        assertTrue(call.mcpServer);
        assertEquals(PARENT, call.remoteParent);
        assertEquals("{\"city\":\"Paris\"}", call.arguments, "the JSON the request sends, by the SDK's own mapper");
        assertNull(call.result, "content capture is off");
        assertNull(observer.onlyEndOf(call).errorType());
        assertFalse(observer.isCurrent(call), "current only while the handler's Mono is being subscribed");
        assertEquals(List.of(call), observer.leftWhileCurrent);
    }

    @Test
    void aToolResultWithIsErrorAndAThrowingHandlerAreErrors() {
        var failing = new McpStatelessServerFeatures.AsyncToolSpecification(tool("lookup"),
                (context, request) -> Mono.just(text("no such city", true)));
        failing.callHandler().apply(null, new CallToolRequest("lookup", Map.of())).block();
        var throwing = new McpServerFeatures.AsyncToolSpecification(tool("crash"), (exchange, request) -> {
            throw new IllegalStateException("boom");
        });
        assertThrows(IllegalStateException.class,
                () -> throwing.callHandler().apply(null, new CallToolRequest("crash", Map.of())).block());

        assertEquals(2, observer.ended.size());
        assertEquals("tool_error", observer.ended.get(0).errorType());
        assertNull(observer.ended.get(0).error());
        assertNull(((ToolCall) observer.ended.get(0).operation()).remoteParent, "no _meta: a trace of its own");
        assertInstanceOf(IllegalStateException.class, observer.ended.get(1).error());
    }

    @Test
    void aSyncHandlerOnTheServersWorkerThreadJoinsItsExecutionsSpan() throws Exception {
        Thread caller = Thread.currentThread();
        List<Object> seen = new CopyOnWriteArrayList<>();
        var sync = new McpServerFeatures.SyncToolSpecification(tool("get_weather"), (exchange, request) -> {
            seen.add(Thread.currentThread());
            seen.add(observer.started.get(observer.started.size() - 1));
            return text("sunny", false);
        });
        // what a sync server does with each of its tools: an async specification running the handler on a worker
        Method fromSync = McpServerFeatures.AsyncToolSpecification.class.getDeclaredMethod("fromSync",
                McpServerFeatures.SyncToolSpecification.class, boolean.class);
        fromSync.setAccessible(true);
        var async = (McpServerFeatures.AsyncToolSpecification) fromSync.invoke(null, sync, false);
        async.callHandler().apply(null, new CallToolRequest("get_weather", Map.of(), Map.of("traceparent", PARENT))).block();

        List<ToolCall> calls = observer.started(ToolCall.class);
        assertEquals(2, calls.size());
        ToolCall execution = calls.get(0);
        ToolCall joined = calls.get(1);
        assertTrue(execution.mcpServer);
        assertEquals(PARENT, execution.remoteParent);
        assertTrue(seen.get(0) != caller, "the handler ran on a worker thread");
        assertEquals(joined, seen.get(1), "started there before the handler ran");
        assertEquals(execution, joined.parent);
        assertEquals("get_weather", joined.toolName);
        assertNull(joined.mcpMethod, "nothing of its own: the agent folds it into the execution's span");
        observer.onlyEndOf(joined);
        observer.onlyEndOf(execution);

        // a sync handler called outside a traced execution is just called
        assertEquals("sunny", ((McpSchema.TextContent) sync.callHandler()
                .apply(null, new CallToolRequest("get_weather", Map.of())).content().get(0)).text());
        assertEquals(2, observer.started.size());
    }

    @Test
    void aSpecificationBuiltFromATracedHandlerIsTracedOnce() {
        var spec = new McpServerFeatures.AsyncToolSpecification(tool("echo"), (exchange, request) -> Mono.just(text("e", false)));
        var copy = new McpServerFeatures.AsyncToolSpecification(spec.tool(), spec.callHandler());
        copy.callHandler().apply(null, new CallToolRequest("echo", Map.of())).block();
        assertEquals(1, observer.started.size());
    }

    @Test
    void aClientCallIsOneClientSpanAndSendsItsTraceparentInMeta() {
        ScriptedServer server = new ScriptedServer();
        try (McpSyncClient client = McpClient.sync(server).build()) {
            client.initialize();
            CallToolResult result = client.callTool(new CallToolRequest("get_weather", Map.of("city", "Paris"),
                    Map.of("progressToken", "p1")));
            assertFalse(Boolean.TRUE.equals(result.isError()));
            CallToolResult failed = client.callTool(new CallToolRequest("fail", Map.of()));
            assertTrue(failed.isError());
        }

        List<ToolCall> calls = observer.started(ToolCall.class);
        assertEquals(2, calls.size(), "the sync client's call is the async client's, once");
        ToolCall call = calls.get(0);
        assertEquals("get_weather", call.toolName);
        assertEquals("tools/call", call.mcpMethod);
        assertFalse(call.mcpServer);
        assertNull(observer.onlyEndOf(call).errorType());
        assertEquals("tool_error", observer.onlyEndOf(calls.get(1)).errorType());

        CallToolRequest sent = server.toolCalls.get(0);
        assertEquals(Map.of("progressToken", "p1", "traceparent", PARENT.replace("b7ad6b7169203331", "0000000000000001")),
                sent.meta(), "the app's _meta, plus the call's trace context");
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-0000000000000002-01", server.toolCalls.get(1).meta().get("traceparent"));
    }

    @Test
    void withContentCaptureAServerExecutionsResultIsItsTextPartsErrorTextIncluded() {
        LlmLens.captureContent(true);
        var weather = new McpServerFeatures.AsyncToolSpecification(tool("get_weather"), (exchange, request) -> Mono.just(
                new CallToolResult(List.of(new McpSchema.TextContent("sunny"),
                        new McpSchema.ImageContent(null, "aGk=", "image/png"), new McpSchema.TextContent("22 °C")),
                        false, null, null)));
        weather.callHandler().apply(null, new CallToolRequest("get_weather",
                Map.of("city", "Paris", "days", List.of(1, 2), "exact", true))).block();
        var lookup = new McpStatelessServerFeatures.AsyncToolSpecification(tool("lookup"),
                (context, request) -> Mono.just(text("no such city", true)));
        lookup.callHandler().apply(null, new CallToolRequest("lookup", Map.of())).block();
        var picture = new McpServerFeatures.AsyncToolSpecification(tool("picture"), (exchange, request) -> Mono.just(
                new CallToolResult(List.of(new McpSchema.ImageContent(null, "aGk=", "image/png")), false, null, null)));
        picture.callHandler().apply(null, new CallToolRequest("picture", Map.of())).block();
        var crash = new McpServerFeatures.AsyncToolSpecification(tool("crash"), (exchange, request) ->
                Mono.error(new IllegalStateException("boom")));
        assertThrows(IllegalStateException.class, () -> crash.callHandler().apply(null, new CallToolRequest("crash", null)).block());

        List<ToolCall> calls = observer.started(ToolCall.class);
        assertEquals(4, calls.size());
        assertEquals("sunny\n22 °C", calls.get(0).result, "the text parts, the image left out");
        assertEquals(Map.of("city", "Paris", "days", List.of(1, 2), "exact", true),
                parse(calls.get(0).arguments), "JSON: " + calls.get(0).arguments);
        assertEquals("no such city", calls.get(1).result, "an error result's text is what the model reads");
        assertEquals("tool_error", observer.onlyEndOf(calls.get(1)).errorType());
        assertEquals("{}", calls.get(1).arguments);
        assertNull(calls.get(2).result, "no text returned");
        assertNull(calls.get(3).result, "failed: nothing returned");
        assertNull(calls.get(3).arguments);
        assertInstanceOf(IllegalStateException.class, observer.onlyEndOf(calls.get(3)).error());
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void withContentCaptureAClientCallsResultIsTheServersText() {
        LlmLens.captureContent(true);
        ScriptedServer server = new ScriptedServer();
        try (McpSyncClient client = McpClient.sync(server).build()) {
            client.initialize();
            client.callTool(new CallToolRequest("get_weather", Map.of("city", "Paris")));
            client.callTool(new CallToolRequest("fail", Map.of()));
        }

        List<ToolCall> calls = observer.started(ToolCall.class);
        assertEquals("{\"city\":\"Paris\"}", calls.get(0).arguments);
        assertEquals("done get_weather", calls.get(0).result);
        assertEquals("done fail", calls.get(1).result);
        assertEquals("tool_error", observer.onlyEndOf(calls.get(1)).errorType());
    }

    @Test
    void withContentCaptureOffNoResultIsRead() {
        var weather = new McpServerFeatures.AsyncToolSpecification(tool("get_weather"),
                (exchange, request) -> Mono.just(text("sunny", false)));
        weather.callHandler().apply(null, new CallToolRequest("get_weather", Map.of("city", "Paris"))).block();
        ScriptedServer server = new ScriptedServer();
        try (McpSyncClient client = McpClient.sync(server).build()) {
            client.initialize();
            client.callTool(new CallToolRequest("get_weather", Map.of()));
        }

        List<ToolCall> calls = observer.started(ToolCall.class);
        assertEquals(2, calls.size());
        for (ToolCall call : calls) {
            assertNull(call.result);
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return io.modelcontextprotocol.json.McpJsonDefaults.getMapper().readValue(json, new TypeRef<Map<String, Object>>() {});
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The remote side of a client transport: answers initialize and tools/call as a server would. */
    static final class ScriptedServer implements McpClientTransport {
        final List<CallToolRequest> toolCalls = new CopyOnWriteArrayList<>();
        private Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;

        @Override
        public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            this.handler = handler;
            return Mono.empty();
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            if (!(message instanceof McpSchema.JSONRPCRequest request)) {
                return Mono.empty();
            }
            Object result;
            if (request.method().equals(McpSchema.METHOD_INITIALIZE)) {
                result = new McpSchema.InitializeResult(((McpSchema.InitializeRequest) request.params()).protocolVersion(),
                        McpSchema.ServerCapabilities.builder().tools(false).build(),
                        new McpSchema.Implementation("scripted", "1.0"), null);
            } else {
                CallToolRequest call = (CallToolRequest) request.params();
                toolCalls.add(call);
                result = text("done " + call.name(), call.name().equals("fail"));
            }
            return handler.apply(Mono.just(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), result, null)))
                    .then();
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            @SuppressWarnings("unchecked")
            T value = (T) data; // nothing was serialized: the objects are passed as they are
            return value;
        }
    }
}
