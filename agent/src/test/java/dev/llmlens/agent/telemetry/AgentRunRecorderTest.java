package dev.llmlens.agent.telemetry;

import static dev.llmlens.agent.telemetry.RecorderFixture.openAiChat;
import static dev.llmlens.agent.telemetry.RecorderFixture.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Agent runs and tool calls: nesting through the agent's context, run totals, and their metrics. */
class AgentRunRecorderTest {

    private final RecorderFixture fixture = new RecorderFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aRunNestsItsModelCallsAndToolsAndAddsThemUp() {
        AgentRun run = new AgentRun("test", "Assistant");
        run.agentMethod = "com.acme.Assistant.chat";
        run.requestModel = "gpt-4o-mini";
        run.conversationId = "conv-7";
        LlmLens.start(run);

        InferenceCall first = openAiChat("gpt-4o-mini");
        LlmLens.start(first);
        usage(first);
        LlmLens.end(first);

        ToolCall tool = new ToolCall("test", "get_weather");
        tool.toolCallId = "call_1";
        tool.toolDescription = "Weather for a city";
        LlmLens.start(tool);
        LlmLens.end(tool);

        InferenceCall second = openAiChat("gpt-4o-mini");
        LlmLens.start(second);
        usage(second);
        LlmLens.end(second);

        LlmLens.leave(run);
        LlmLens.end(run);
        assertFalse(Span.current().getSpanContext().isValid(), "nothing stays current after the run");

        Map<String, SpanData> spans = byName();
        SpanData runSpan = spans.get("invoke_agent Assistant");
        assertEquals(SpanKind.INTERNAL, runSpan.getKind());
        assertEquals(StatusCode.UNSET, runSpan.getStatus().getStatusCode());
        assertEquals(Attributes.builder()
                .put("gen_ai.operation.name", "invoke_agent")
                .put("gen_ai.agent.name", "Assistant")
                .put("gen_ai.request.model", "gpt-4o-mini")
                .put("gen_ai.conversation.id", "conv-7")
                .put("code.function.name", "com.acme.Assistant.chat")
                .put("llmlens.run.model_calls", 2L)
                .put("llmlens.run.tool_calls", 1L)
                .put("llmlens.run.input_tokens", 20_000L)
                .put("llmlens.run.output_tokens", 2_000L)
                .put("llmlens.run.cost_usd", 2 * CallRecorderTest.GPT_4O_MINI_COST)
                .build().asMap(), runSpan.getAttributes().asMap());

        SpanData toolSpan = spans.get("execute_tool get_weather");
        assertEquals(SpanKind.INTERNAL, toolSpan.getKind());
        assertEquals(Attributes.builder()
                .put("gen_ai.operation.name", "execute_tool")
                .put("gen_ai.tool.name", "get_weather")
                .put("gen_ai.tool.type", "function")
                .put("gen_ai.tool.call.id", "call_1")
                .put("gen_ai.tool.description", "Weather for a city")
                .put("gen_ai.agent.name", "Assistant")
                .build().asMap(), toolSpan.getAttributes().asMap());

        List<SpanData> children = fixture.spans.getFinishedSpanItems().stream()
                .filter(s -> s != runSpan).toList();
        assertEquals(3, children.size());
        for (SpanData child : children) {
            assertEquals(runSpan.getSpanId(), child.getParentSpanId(), child.getName());
            assertEquals(runSpan.getTraceId(), child.getTraceId(), child.getName());
        }
        assertFalse(runSpan.getParentSpanContext().isValid(), "the run is a root here");

        PrometheusScrape scrape = fixture.scrape();
        Map<String, String> ok = Map.of("gen_ai_agent_name", "Assistant", "error_type", "");
        scrape.assertValue(1, "llmlens_agent_runs_total", ok);
        scrape.assertValue(1, "llmlens_agent_run_duration_seconds_count", ok);
        scrape.assertValue(2 * CallRecorderTest.GPT_4O_MINI_COST, "llmlens_agent_run_cost_usd_sum", ok);
        Map<String, String> toolOk = Map.of("gen_ai_tool_name", "get_weather", "error_type", "");
        scrape.assertValue(1, "llmlens_tool_calls_total", toolOk);
        scrape.assertValue(1, "llmlens_tool_duration_seconds_count", toolOk);
        // the run is not an inference: only the two model calls are in the inference metrics
        scrape.assertValue(2, "gen_ai_client_operation_duration_seconds_count", Map.of("gen_ai_operation_name", "chat"));
        assertEquals(List.of(), scrape.find("gen_ai_client_operation_duration_seconds_count",
                Map.of("gen_ai_operation_name", "invoke_agent")));
    }

    @Test
    void aFailingToolIsAnErrorSpanAndCountedByErrorType() {
        ToolCall tool = new ToolCall("test", "delete_file");
        LlmLens.start(tool);
        LlmLens.end(tool, new IllegalArgumentException("no such file"));

        SpanData span = fixture.onlySpan();
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals("no such file", span.getStatus().getDescription());
        assertEquals("java.lang.IllegalArgumentException", span.getAttributes().get(GenAiAttributes.ERROR_TYPE));
        assertEquals("exception", span.getEvents().get(0).getName());
        assertNull(span.getAttributes().get(GenAiAttributes.AGENT_NAME), "no run around it");
        fixture.scrape().assertValue(1, "llmlens_tool_calls_total",
                Map.of("gen_ai_tool_name", "delete_file", "error_type", "java.lang.IllegalArgumentException"));
    }

    @Test
    void anExplicitParentNestsWorkDoneOnAnotherThread() throws Exception {
        AgentRun run = new AgentRun("test", "AsyncLoop");
        LlmLens.start(run);
        LlmLens.leave(run); // the hooked method returned a future; the loop goes on elsewhere

        Thread worker = new Thread(() -> {
            InferenceCall call = openAiChat("gpt-4o-mini");
            call.parent = run;
            LlmLens.start(call);
            usage(call);
            LlmLens.end(call);
        });
        worker.start();
        worker.join();
        LlmLens.end(run);

        Map<String, SpanData> spans = byName();
        SpanData runSpan = spans.get("invoke_agent AsyncLoop");
        assertEquals(runSpan.getSpanId(), spans.get("chat gpt-4o-mini").getParentSpanId());
        assertEquals(1L, runSpan.getAttributes().get(GenAiAttributes.RUN_MODEL_CALLS));
    }

    @Test
    void aCallTheSdkTracesItselfHasNoSecondSpanButIsCountedAndPriced() {
        AgentRun run = new AgentRun("test", "Runner");
        LlmLens.start(run);
        InferenceCall call = openAiChat("gpt-4o-mini");
        call.tracedBySdk = true;
        LlmLens.start(call);
        usage(call);
        LlmLens.end(call);
        LlmLens.end(run);

        SpanData only = fixture.onlySpan();
        assertEquals("invoke_agent Runner", only.getName());
        assertEquals(CallRecorderTest.GPT_4O_MINI_COST, only.getAttributes().get(GenAiAttributes.RUN_COST), 1e-12);
        PrometheusScrape scrape = fixture.scrape();
        scrape.assertValue(1, "gen_ai_client_operation_duration_seconds_count", Map.of("gen_ai_request_model", "gpt-4o-mini"));
        scrape.assertValue(CallRecorderTest.GPT_4O_MINI_COST, "llmlens_cost_usd_total", Map.of("gen_ai_request_model", "gpt-4o-mini"));
    }

    @Test
    void endingOnTheStartingThreadLeavesTheOperation() {
        InferenceCall call = openAiChat("gpt-4o-mini");
        LlmLens.start(call);
        assertEquals(true, Span.current().getSpanContext().isValid());
        LlmLens.end(call);
        assertFalse(Span.current().getSpanContext().isValid());
    }

    private Map<String, SpanData> byName() {
        return fixture.spans.getFinishedSpanItems().stream()
                .collect(Collectors.toMap(SpanData::getName, Function.identity(), (a, b) -> a));
    }
}
