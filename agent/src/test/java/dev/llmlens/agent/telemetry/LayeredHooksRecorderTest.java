package dev.llmlens.agent.telemetry;

import static dev.llmlens.agent.telemetry.RecorderFixture.openAiChat;
import static dev.llmlens.agent.telemetry.RecorderFixture.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.agent.AgentLogCapture;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.ToolCall;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One model call or one tool execution seen by two hooks (a framework and the SDK or method under it)
 * is one span, counted once; and a run that repeats one tool call is flagged as a loop.
 */
class LayeredHooksRecorderTest {

    private final RecorderFixture fixture = new RecorderFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A framework's chat model as LangChain4j or Spring AI report it. */
    private static InferenceCall frameworkChat(String model) {
        InferenceCall call = new InferenceCall("framework", "openai", "chat");
        call.frameworkLevel = true;
        call.requestModel = model;
        return call;
    }

    @Test
    void aFrameworkCallOverAnSdkCallIsTheSdksSpanOnlyAndCountsOnce() {
        AgentRun run = new AgentRun("test", "Assistant");
        LlmLens.start(run);
        InferenceCall framework = frameworkChat("gpt-4o-mini");
        LlmLens.start(framework);
        InferenceCall sdk = openAiChat("gpt-4o-mini");
        LlmLens.start(sdk);
        usage(sdk);
        LlmLens.end(sdk);
        usage(framework); // the framework read the same usage from the SDK's response
        LlmLens.end(framework);
        LlmLens.end(run);

        List<SpanData> spans = fixture.spans.getFinishedSpanItems();
        assertEquals(List.of("chat gpt-4o-mini", "invoke_agent Assistant"), spans.stream().map(SpanData::getName).toList());
        SpanData chat = spans.get(0);
        assertEquals(spans.get(1).getSpanId(), chat.getParentSpanId(), "the framework's frame is invisible");
        assertEquals(1L, spans.get(1).getAttributes().get(GenAiAttributes.RUN_MODEL_CALLS));
        PrometheusScrape scrape = fixture.scrape();
        scrape.assertValue(1, "gen_ai_client_operation_duration_seconds_count", Map.of("gen_ai_request_model", "gpt-4o-mini"));
        scrape.assertValue(10_000, "llmlens_tokens_total", Map.of("gen_ai_token_type", "input"));
        scrape.assertValue(0, "llmlens_active_calls", Map.of("gen_ai_operation_name", "chat"));
    }

    @Test
    void aFrameworkCallWithNoSdkCallInsideBecomesTheSpanBackDatedToItsStart() {
        InferenceCall framework = frameworkChat("gpt-4o-mini");
        LlmLens.start(framework);
        usage(framework);
        framework.responseModel = "gpt-4o-mini-2024-07-18";
        LlmLens.end(framework);

        SpanData span = fixture.onlySpan();
        assertEquals("chat gpt-4o-mini", span.getName());
        assertEquals(SpanKind.CLIENT, span.getKind());
        assertEquals(framework.startEpochNanos, span.getStartEpochNanos());
        assertEquals(CallRecorderTest.GPT_4O_MINI_COST, span.getAttributes().get(GenAiAttributes.COST), 1e-12);
        fixture.scrape().assertValue(1, "gen_ai_client_operation_duration_seconds_count",
                Map.of("gen_ai_response_model", "gpt-4o-mini-2024-07-18"));
    }

    @Test
    void aFrameworkCallThatStartedBeforeTheAgentWasReadyIsNotGuessedAt() {
        InferenceCall framework = frameworkChat("gpt-4o-mini");
        usage(framework);
        fixture.recorder.onEnd(framework); // the agent only ever saw its end

        assertEquals(List.of(), fixture.spans.getFinishedSpanItems());
        assertEquals(List.of(), fixture.scrape().find("llmlens_tokens_total", Map.of()));
    }

    @Test
    void aToolSeenByItsDispatcherAndByItsAnnotatedMethodIsOneSpan() {
        ToolCall dispatcher = new ToolCall("framework", "get_weather");
        LlmLens.start(dispatcher);
        ToolCall method = new ToolCall("annotations", "get_weather");
        method.toolCallId = "call_7";
        LlmLens.start(method);
        ToolCall nested = new ToolCall("annotations", "geocode"); // a tool that uses another tool
        LlmLens.start(nested);
        LlmLens.end(nested);
        method.result = "sunny"; // only the method's own hook saw the value
        LlmLens.end(method);
        LlmLens.end(dispatcher);
        assertEquals("sunny", dispatcher.result, "the one execution keeps what the inner hook saw");

        List<SpanData> spans = fixture.spans.getFinishedSpanItems();
        assertEquals(List.of("execute_tool geocode", "execute_tool get_weather"), spans.stream().map(SpanData::getName).toList());
        assertEquals("call_7", spans.get(1).getAttributes().get(GenAiAttributes.TOOL_CALL_ID), "what the inner hook knew");
        assertEquals(spans.get(1).getSpanId(), spans.get(0).getParentSpanId());
        fixture.scrape().assertValue(1, "llmlens_tool_calls_total", Map.of("gen_ai_tool_name", "get_weather"));
    }

    @Test
    void theSameToolWithTheSameArgumentsAtTheThresholdIsALoopOnce() {
        try (AgentLogCapture log = AgentLogCapture.start()) {
            AgentRun run = new AgentRun("test", "Researcher");
            LlmLens.start(run);
            for (int i = 0; i < CallRecorder.DEFAULT_LOOP_THRESHOLD + 2; i++) {
                ToolCall search = new ToolCall("test", "search");
                search.arguments = "{\"q\":\"weather in Paris\"}";
                LlmLens.start(search);
                LlmLens.end(search);
                ToolCall other = new ToolCall("test", "search");
                other.arguments = "{\"q\":\"weather in Rome " + i + "\"}"; // different arguments: no loop
                LlmLens.start(other);
                LlmLens.end(other);
            }
            LlmLens.end(run);

            SpanData runSpan = fixture.spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("invoke_agent Researcher")).findFirst().orElseThrow();
            List<EventData> loops = runSpan.getEvents().stream()
                    .filter(e -> e.getName().equals(GenAiAttributes.LOOP_DETECTED_EVENT)).toList();
            assertEquals(1, loops.size(), runSpan.getEvents().toString());
            assertEquals("search", loops.get(0).getAttributes().get(GenAiAttributes.TOOL_NAME));
            assertEquals(5L, loops.get(0).getAttributes().get(GenAiAttributes.LOOP_COUNT));
            fixture.scrape().assertValue(1, "llmlens_loop_detected_total",
                    Map.of("gen_ai_agent_name", "Researcher", "gen_ai_tool_name", "search"));
            assertEquals(1, log.warnings().stream().filter(w -> w.contains("called tool search 5 times")).count(),
                    String.valueOf(log.lines()));
            assertEquals(14L, runSpan.getAttributes().get(GenAiAttributes.RUN_TOOL_CALLS));
        }
    }

    @Test
    void unknownArgumentsAreNeverALoop() {
        AgentRun run = new AgentRun("test", "Blind");
        LlmLens.start(run);
        for (int i = 0; i < 10; i++) {
            ToolCall tool = new ToolCall("test", "ping");
            LlmLens.start(tool);
            LlmLens.end(tool);
        }
        LlmLens.end(run);
        assertEquals(List.of(), fixture.scrape().find("llmlens_loop_detected_total", Map.of()));
    }
}
