package dev.llmlens.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tool calls across the Model Context Protocol: CLIENT and SERVER spans, and the trace context between them. */
class McpRecorderTest {

    private final RecorderFixture fixture = new RecorderFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static ToolCall mcp(String tool, boolean server) {
        ToolCall call = new ToolCall("mcp", tool);
        call.mcpMethod = "tools/call";
        call.mcpServer = server;
        return call;
    }

    @Test
    void aClientCallAndTheServerExecutionItCausesAreOneTrace() {
        ToolCall client = mcp("get_weather", false);
        client.mcpSessionId = "session-1";
        client.jsonRpcRequestId = "7";
        LlmLens.start(client);
        String traceparent = LlmLens.traceparent(client);

        // the server side runs in another process: nothing of the client is current there
        onAnotherThread(() -> {
            ToolCall execution = mcp("get_weather", true);
            execution.remoteParent = traceparent;
            LlmLens.start(execution);
            LlmLens.end(execution);
        });
        LlmLens.end(client);

        List<SpanData> spans = fixture.spans.getFinishedSpanItems();
        assertEquals(2, spans.size());
        SpanData serverSpan = spans.get(0);
        SpanData clientSpan = spans.get(1);
        assertEquals("tools/call get_weather", clientSpan.getName());
        assertEquals(SpanKind.CLIENT, clientSpan.getKind());
        assertEquals(Attributes.builder()
                .put("gen_ai.operation.name", "execute_tool")
                .put("gen_ai.tool.name", "get_weather")
                .put("gen_ai.tool.type", "function")
                .put("mcp.method.name", "tools/call")
                .put("mcp.session.id", "session-1")
                .put("jsonrpc.request.id", "7")
                .build().asMap(), clientSpan.getAttributes().asMap());
        assertEquals("00-" + clientSpan.getTraceId() + "-" + clientSpan.getSpanId() + "-01", traceparent);

        assertEquals("tools/call get_weather", serverSpan.getName());
        assertEquals(SpanKind.SERVER, serverSpan.getKind());
        assertEquals(clientSpan.getTraceId(), serverSpan.getTraceId());
        assertEquals(clientSpan.getSpanId(), serverSpan.getParentSpanId());
        assertEquals("tools/call", serverSpan.getAttributes().asMap().get(
                io.opentelemetry.api.common.AttributeKey.stringKey("mcp.method.name")));
    }

    @Test
    void aMalformedTraceparentStartsANewTraceAndAToolErrorIsAnError() {
        for (String header : new String[] {"garbage", "00-xyz-abc-01", "00-00000000000000000000000000000000-0000000000000001-01",
                "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}) {
            ToolCall execution = mcp("lookup", true);
            execution.remoteParent = header;
            execution.errorType = "tool_error";
            LlmLens.start(execution);
            LlmLens.end(execution);
        }
        for (SpanData span : fixture.spans.getFinishedSpanItems()) {
            assertFalse(span.getParentSpanContext().isValid(), "no parent from a malformed header");
            assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
            assertEquals("tool_error", span.getAttributes().asMap().get(
                    io.opentelemetry.api.common.AttributeKey.stringKey("error.type")));
        }
        assertEquals(4, fixture.spans.getFinishedSpanItems().size());
    }

    @Test
    void anMcpCallInsideAFrameworkToolOfTheSameNameIsThatToolsOneSpan() {
        ToolCall framework = new ToolCall("spring-ai", "get_weather");
        LlmLens.start(framework);
        ToolCall client = mcp("get_weather", false);
        LlmLens.start(client);
        String traceparent = LlmLens.traceparent(client);
        LlmLens.end(client);
        LlmLens.end(framework);

        List<SpanData> spans = fixture.spans.getFinishedSpanItems();
        assertEquals(1, spans.size());
        SpanData span = spans.get(0);
        assertEquals("execute_tool get_weather", span.getName());
        assertEquals("tools/call", span.getAttributes().asMap().get(
                io.opentelemetry.api.common.AttributeKey.stringKey("mcp.method.name")));
        assertEquals("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01", traceparent,
                "the server continues the span that stands for the call");
    }

    @Test
    void aSyncHandlerJoiningItsExecutionOnAWorkerAddsNoSpanAndItsModelCallsNestUnderTheServerSpan() {
        ToolCall execution = mcp("summarize", true);
        LlmLens.start(execution);
        onAnotherThread(() -> {
            ToolCall joined = new ToolCall("mcp", "summarize");
            joined.parent = execution;
            LlmLens.start(joined);
            var call = RecorderFixture.openAiChat("gpt-4o-mini");
            LlmLens.start(call);
            LlmLens.end(call);
            LlmLens.end(joined);
        });
        LlmLens.end(execution);

        List<SpanData> spans = fixture.spans.getFinishedSpanItems();
        assertEquals(2, spans.size());
        SpanData chat = spans.get(0);
        SpanData server = spans.get(1);
        assertEquals("tools/call summarize", server.getName());
        assertEquals(server.getSpanId(), chat.getParentSpanId());
        assertEquals("chat gpt-4o-mini", chat.getName());
    }

    @Test
    void noTraceparentBeforeStartOrWithoutTheAgent() {
        assertNull(LlmLens.traceparent(mcp("x", false)));
        assertNull(LlmLens.traceparent(null));
    }

    private static void onAnotherThread(Runnable work) {
        Thread thread = new Thread(work);
        thread.start();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertFalse(thread.isAlive());
    }
}
