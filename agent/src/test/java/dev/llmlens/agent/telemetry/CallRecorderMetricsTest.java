package dev.llmlens.agent.telemetry;

import static dev.llmlens.agent.telemetry.RecorderFixture.openAiChat;
import static dev.llmlens.agent.telemetry.RecorderFixture.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus side of the contract, read back through an in-process scrape in the text format. */
class CallRecorderMetricsTest {

    private static final Map<String, String> CALL_LABELS = Map.of(
            "gen_ai_operation_name", "chat",
            "gen_ai_provider_name", "openai",
            "gen_ai_request_model", "gpt-4o-mini",
            "gen_ai_response_model", "gpt-4o-mini-2024-07-18",
            "server_address", "api.openai.com",
            "server_port", "443");

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        var copy = new java.util.HashMap<>(labels);
        copy.put(key, value);
        return copy;
    }

    private static InferenceCall pricedCall() {
        InferenceCall call = openAiChat("gpt-4o-mini");
        call.responseModel = "gpt-4o-mini-2024-07-18";
        usage(call);
        return call;
    }

    @Test
    void successfulCallRecordsDurationTokensAndCost() {
        try (RecorderFixture fixture = new RecorderFixture()) {
            InferenceCall call = pricedCall();
            fixture.run(call);
            PrometheusScrape scrape = fixture.scrape();

            Map<String, String> ok = with(CALL_LABELS, "error_type", "");
            scrape.assertValue(1, "gen_ai_client_operation_duration_seconds_count", ok);
            scrape.assertValue(GenAiAttributes.durationSeconds(call), "gen_ai_client_operation_duration_seconds_sum", ok);
            scrape.assertValue(10_000, "gen_ai_client_token_usage_sum", with(CALL_LABELS, "gen_ai_token_type", "input"));
            scrape.assertValue(1, "gen_ai_client_token_usage_count", with(CALL_LABELS, "gen_ai_token_type", "input"));
            scrape.assertValue(1_000, "gen_ai_client_token_usage_sum", with(CALL_LABELS, "gen_ai_token_type", "output"));
            // cache and reasoning are counters only: the semconv histogram knows input and output
            assertEquals(2, scrape.find("gen_ai_client_token_usage_count", Map.of()).size());

            Map<String, String> tokenLabels = Map.of("gen_ai_provider_name", "openai",
                    "gen_ai_request_model", "gpt-4o-mini", "gen_ai_response_model", "gpt-4o-mini-2024-07-18");
            scrape.assertValue(10_000, "llmlens_tokens_total", with(tokenLabels, "gen_ai_token_type", "input"));
            scrape.assertValue(8_000, "llmlens_tokens_total", with(tokenLabels, "gen_ai_token_type", "cache_read"));
            scrape.assertValue(1_000, "llmlens_tokens_total", with(tokenLabels, "gen_ai_token_type", "output"));
            scrape.assertValue(0, "llmlens_tokens_total", with(tokenLabels, "gen_ai_token_type", "reasoning"));
            // not reported by the SDK (-1): no series, rather than a misleading 0
            assertEquals(List.of(), scrape.find("llmlens_tokens_total", Map.of("gen_ai_token_type", "cache_write")));
            scrape.assertValue(CallRecorderTest.GPT_4O_MINI_COST, "llmlens_cost_usd_total", tokenLabels);
            assertEquals(List.of(), scrape.find("gen_ai_client_operation_time_to_first_chunk_seconds_count", Map.of()));
        }
    }

    @Test
    void failedCallIsLabelledWithItsErrorType() {
        try (RecorderFixture fixture = new RecorderFixture()) {
            InferenceCall call = openAiChat("gpt-4o-mini");
            LlmLens.start(call);
            LlmLens.end(call, new SocketTimeoutException());
            PrometheusScrape scrape = fixture.scrape();
            scrape.assertValue(1, "gen_ai_client_operation_duration_seconds_count",
                    Map.of("error_type", "java.net.SocketTimeoutException", "gen_ai_response_model", ""));
            assertEquals(List.of(), scrape.find("gen_ai_client_operation_duration_seconds_count", Map.of("error_type", "")));
        }
    }

    @Test
    void streamRecordsTimeToFirstChunk() {
        try (RecorderFixture fixture = new RecorderFixture()) {
            InferenceCall call = openAiChat("gpt-4o-mini");
            call.stream = true;
            LlmLens.start(call);
            call.chunkSeen();
            LlmLens.end(call);
            PrometheusScrape scrape = fixture.scrape();
            scrape.assertValue(1, "gen_ai_client_operation_time_to_first_chunk_seconds_count",
                    Map.of("gen_ai_request_model", "gpt-4o-mini", "server_port", "443"));
            scrape.assertValue(GenAiAttributes.timeToFirstChunkSeconds(call),
                    "gen_ai_client_operation_time_to_first_chunk_seconds_sum", Map.of());
        }
    }

    @Test
    void activeCallsCountsCallsInFlight() {
        try (RecorderFixture fixture = new RecorderFixture()) {
            Map<String, String> labels = Map.of("gen_ai_operation_name", "chat", "gen_ai_provider_name", "openai");
            InferenceCall first = openAiChat("gpt-4o-mini");
            InferenceCall second = openAiChat("gpt-4o-mini");
            // two streams the app holds at once: each hooked method returned (left) before the next started
            LlmLens.start(first);
            LlmLens.leave(first);
            fixture.scrape().assertValue(1, "llmlens_active_calls", labels);
            LlmLens.start(second);
            LlmLens.leave(second);
            fixture.scrape().assertValue(2, "llmlens_active_calls", labels);
            LlmLens.end(first);
            LlmLens.end(first);
            fixture.scrape().assertValue(1, "llmlens_active_calls", labels);
            LlmLens.end(second);
            fixture.scrape().assertValue(0, "llmlens_active_calls", labels);
        }
    }

    @Test
    void activeCallsUsesTheRemappedProviderOnBothEnds() {
        try (RecorderFixture fixture = new RecorderFixture()) {
            InferenceCall call = openAiChat("llama-3.3-70b-versatile");
            call.serverAddress = "api.groq.com";
            LlmLens.start(call);
            fixture.scrape().assertValue(1, "llmlens_active_calls", Map.of("gen_ai_provider_name", "groq"));
            LlmLens.end(call);
            fixture.scrape().assertValue(0, "llmlens_active_calls", Map.of("gen_ai_provider_name", "groq"));
            assertEquals(List.of(), fixture.scrape().find("llmlens_active_calls", Map.of("gen_ai_provider_name", "openai")));
        }
    }

    @Test
    void instrumentationErrorsAreCountedPerModule() {
        try (RecorderFixture fixture = new RecorderFixture()) {
            fixture.recorder.onInstrumentationError("openai-java", new RuntimeException());
            LlmLens.instrumentationError("openai-java", new IllegalStateException());
            fixture.scrape().assertValue(2, "llmlens_agent_errors_total", Map.of("module", "openai-java"));
        }
    }

    @Test
    void sampledCallsCarryTheirSpanAsExemplar() {
        try (RecorderFixture fixture = new RecorderFixture()) {
            fixture.run(pricedCall());
            SpanContext span = fixture.onlySpan().getSpanContext();
            String exemplar = "trace_id=\"" + span.getTraceId() + "\"";
            String openMetrics = PrometheusScrape.openMetrics(fixture.metrics);
            List<String> withExemplar = openMetrics.lines().filter(line -> line.contains(exemplar)).toList();
            assertTrue(withExemplar.stream().anyMatch(l -> l.startsWith("llmlens_cost_usd_total{") && l.contains(" # {")), openMetrics);
            assertTrue(withExemplar.stream().anyMatch(l -> l.startsWith("gen_ai_client_operation_duration_seconds_bucket{")), openMetrics);
            assertTrue(withExemplar.stream().allMatch(l -> l.contains("span_id=\"" + span.getSpanId() + "\"")), openMetrics);
        }
    }

    @Test
    void unsampledCallsAreStillCountedButWithoutExemplars() {
        try (RecorderFixture fixture = new RecorderFixture(200, Sampler.alwaysOff())) {
            InferenceCall call = pricedCall();
            LlmLens.start(call);
            LlmLens.end(call);
            assertEquals(List.of(), fixture.spans.getFinishedSpanItems()); // dropped by the sampler
            String openMetrics = PrometheusScrape.openMetrics(fixture.metrics);
            assertFalse(openMetrics.contains("trace_id="), openMetrics);
            PrometheusScrape scrape = fixture.scrape();
            scrape.assertValue(1, "gen_ai_client_operation_duration_seconds_count", Map.of());
            scrape.assertValue(CallRecorderTest.GPT_4O_MINI_COST, "llmlens_cost_usd_total", Map.of());
        }
    }

    @Test
    void labelCapFoldsNewModelsIntoOther() {
        try (RecorderFixture fixture = new RecorderFixture(2, Sampler.alwaysOn())) {
            for (String model : List.of("gpt-4o-mini", "gpt-4o", "o3")) {
                InferenceCall call = openAiChat(model);
                call.responseModel = model;
                call.inputTokens = 100;
                call.outputTokens = 10;
                fixture.run(call);
                fixture.spans.reset();
            }
            PrometheusScrape scrape = fixture.scrape();
            String duration = "gen_ai_client_operation_duration_seconds_count";
            scrape.assertValue(1, duration, Map.of("gen_ai_request_model", "gpt-4o-mini"));
            scrape.assertValue(1, duration, Map.of("gen_ai_request_model", "gpt-4o"));
            scrape.assertValue(1, duration, Map.of("gen_ai_request_model", "other", "gen_ai_response_model", "other"));
            assertEquals(List.of(), scrape.find(duration, Map.of("gen_ai_request_model", "o3")));
            scrape.assertValue(100, "llmlens_tokens_total",
                    Map.of("gen_ai_request_model", "other", "gen_ai_token_type", "input"));
            assertEquals(List.of(), scrape.find("llmlens_cost_usd_total", Map.of("gen_ai_request_model", "o3")));
            assertEquals(3, scrape.find("llmlens_cost_usd_total", Map.of()).size());
        }
    }
}
