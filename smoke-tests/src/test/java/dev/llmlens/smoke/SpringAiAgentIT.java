package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.AFTER_TOOL_COMPLETION_TOKENS;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.AFTER_TOOL_PROMPT_TOKENS;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.PLAIN_COMPLETION_TOKENS;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.PLAIN_PROMPT_TOKENS;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.TOOL_CALL_COMPLETION_TOKENS;
import static dev.llmlens.smoke.mock.MockOpenAiToolServer.TOOL_CALL_PROMPT_TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmlens.smoke.app.SpringAiScenarios;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.mock.MockOpenAiToolServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spring AI 1.1's ChatClient on its own OpenAI client, with the packaged agent: a call without tools is
 * one inference span; a call with a tool is an invoke_agent span holding both HTTP round trips and the
 * one tool execution as siblings, each round trip with its own tokens (Spring AI reports them summed).
 */
class SpringAiAgentIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void aChatClientToolLoopIsOneRunWithARoundTripSpanPerHttpCallAndOneToolSpan() throws Exception {
        int metricsPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            metricsPort = socket.getLocalPort();
        }
        try (MockOpenAiToolServer mock = new MockOpenAiToolServer().start();
             OtlpReceiver otlp = new OtlpReceiver().start();
             AppProcess app = AppProcess.start(System.getProperty("java.home"), List.of(
                     "-javaagent:" + setting("agent.jar"),
                     "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(), "-Dotel.bsp.schedule.delay=100",
                     "-Dllmlens.prometheus.host=127.0.0.1", "-Dllmlens.prometheus.port=" + metricsPort),
                     appClasspath(), SpringAiScenarios.class.getName(), "http://127.0.0.1:" + mock.port())) {
            app.send("go");
            app.awaitScenariosDone(TIMEOUT);
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= 5, TIMEOUT);
            PrometheusText metrics = PrometheusText.scrape(metricsPort, false);
            assertEquals(0, app.stop(TIMEOUT));
            String tree = OtlpReceiver.tree(spans);
            System.out.println("Spring AI spans:\n" + tree);

            assertEquals(3, mock.chatRequests(), "one plain call, two round trips of the tool loop");
            assertEquals(5, spans.size(), tree);
            List<ReceivedSpan> sorted = spans.stream().sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
            ReceivedSpan plain = sorted.get(0);
            ReceivedSpan run = sorted.get(1);
            assertEquals("chat gpt-4o-mini", plain.name());
            assertEquals("CLIENT", plain.kind());
            assertEquals("", plain.parentSpanId(), "no tools declared: no wrapper");
            assertEquals((long) PLAIN_PROMPT_TOKENS, plain.attribute("gen_ai.usage.input_tokens"));

            assertEquals("invoke_agent ChatClient", run.name());
            assertEquals("INTERNAL", run.kind());
            assertEquals("", run.parentSpanId());
            List<ReceivedSpan> children = sorted.subList(2, 5);
            for (ReceivedSpan child : children) {
                assertEquals(run.spanId(), child.parentSpanId(), tree);
            }
            assertEquals(List.of("chat gpt-4o-mini", "execute_tool weather", "chat gpt-4o-mini"),
                    children.stream().map(ReceivedSpan::name).toList(), tree);
            ReceivedSpan round1 = children.get(0);
            ReceivedSpan tool = children.get(1);
            ReceivedSpan round2 = children.get(2);
            assertEquals((long) TOOL_CALL_PROMPT_TOKENS, round1.attribute("gen_ai.usage.input_tokens"));
            assertEquals((long) TOOL_CALL_COMPLETION_TOKENS, round1.attribute("gen_ai.usage.output_tokens"));
            assertEquals((long) AFTER_TOOL_PROMPT_TOKENS, round2.attribute("gen_ai.usage.input_tokens"));
            assertEquals((long) AFTER_TOOL_COMPLETION_TOKENS, round2.attribute("gen_ai.usage.output_tokens"));
            assertEquals("openai", round1.attribute("gen_ai.provider.name"));
            assertEquals(MockOpenAiToolServer.RESPONSE_MODEL, round1.attribute("gen_ai.response.model"));
            assertEquals(MockOpenAiToolServer.TOOL_CALL_ID, tool.attribute("gen_ai.tool.call.id"));
            assertEquals(true, round1.endEpochNanos() <= tool.startEpochNanos(), "a round trip ends when its response arrives");
            assertEquals(2L, run.attribute("llmlens.run.model_calls"));
            assertEquals(1L, run.attribute("llmlens.run.tool_calls"));
            assertEquals((long) (TOOL_CALL_PROMPT_TOKENS + AFTER_TOOL_PROMPT_TOKENS), run.attribute("llmlens.run.input_tokens"));

            // tokens counted once per round trip, never the cumulative sums Spring AI reports
            Map<String, String> input = Map.of("gen_ai_provider_name", "openai", "gen_ai_token_type", "input");
            Map<String, String> output = Map.of("gen_ai_provider_name", "openai", "gen_ai_token_type", "output");
            assertEquals(PLAIN_PROMPT_TOKENS + TOOL_CALL_PROMPT_TOKENS + AFTER_TOOL_PROMPT_TOKENS,
                    metrics.sum("llmlens_tokens_total", input));
            assertEquals(PLAIN_COMPLETION_TOKENS + TOOL_CALL_COMPLETION_TOKENS + AFTER_TOOL_COMPLETION_TOKENS,
                    metrics.sum("llmlens_tokens_total", output));
            assertEquals(1, metrics.value("llmlens_tool_calls_total", Map.of("gen_ai_tool_name", "weather", "error_type", "")));
            assertEquals(1, metrics.value("llmlens_agent_runs_total", Map.of("gen_ai_agent_name", "ChatClient", "error_type", "")));
        }
    }
}
