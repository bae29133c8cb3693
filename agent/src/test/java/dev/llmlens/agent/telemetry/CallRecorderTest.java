package dev.llmlens.agent.telemetry;

import static dev.llmlens.agent.telemetry.RecorderFixture.openAiChat;
import static dev.llmlens.agent.telemetry.RecorderFixture.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The span side of the telemetry contract, end to end from a neutral call to exported SpanData. */
class CallRecorderTest {

    // gpt-4o-mini, bundled table: 2,000 uncached × 0.15 + 8,000 cached × 0.075 + 1,000 out × 0.60
    // = 300 + 600 + 600 = 1,500 USD per 1M tokens
    static final double GPT_4O_MINI_COST = 0.0015;

    private final RecorderFixture fixture = new RecorderFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void successfulChatCallCarriesEveryAttributeAndItsCost() {
        InferenceCall call = openAiChat("gpt-4o-mini");
        call.maxTokens = 256L;
        call.temperature = 0.2;
        call.topP = 0.9;
        call.topK = 40.0;
        call.frequencyPenalty = 0.1;
        call.presencePenalty = 0.3;
        call.choiceCount = 2L;
        call.seed = 42L;
        call.stopSequences = List.of("END");
        call.reasoningLevel = "low";
        call.outputType = "json";
        call.previousResponseId = "resp_prev";
        call.requestServiceTier = "flex";
        LlmLens.start(call);
        call.responseId = "chatcmpl-123";
        call.responseModel = "gpt-4o-mini-2024-07-18";
        call.addFinishReason("stop");
        call.addFinishReason("length");
        call.responseServiceTier = "default";
        call.systemFingerprint = "fp_1";
        usage(call);
        LlmLens.end(call);

        SpanData span = fixture.onlySpan();
        assertEquals("chat gpt-4o-mini", span.getName());
        assertEquals(SpanKind.CLIENT, span.getKind());
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        assertEquals(List.of(), span.getEvents());
        assertEquals(call.startEpochNanos, span.getStartEpochNanos());
        assertEquals(call.startEpochNanos + (call.endNanos - call.startNanos), span.getEndEpochNanos());
        assertTrue(call.endNanos >= call.startNanos);

        Attributes expected = Attributes.builder()
                .put("gen_ai.operation.name", "chat")
                .put("gen_ai.provider.name", "openai")
                .put("gen_ai.request.model", "gpt-4o-mini")
                .put("server.address", "api.openai.com")
                .put("server.port", 443L)
                .put("gen_ai.request.max_tokens", 256L)
                .put("gen_ai.request.temperature", 0.2)
                .put("gen_ai.request.top_p", 0.9)
                .put("gen_ai.request.top_k", 40.0)
                .put("gen_ai.request.frequency_penalty", 0.1)
                .put("gen_ai.request.presence_penalty", 0.3)
                .put("gen_ai.request.choice.count", 2L)
                .put("gen_ai.request.seed", 42L)
                .put(AttributeKey.stringArrayKey("gen_ai.request.stop_sequences"), List.of("END"))
                .put("gen_ai.request.reasoning.level", "low")
                .put("gen_ai.output.type", "json")
                .put("gen_ai.request.previous_response.id", "resp_prev")
                .put("openai.api.type", "chat_completions")
                .put("openai.request.service_tier", "flex")
                .put("gen_ai.response.id", "chatcmpl-123")
                .put("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
                .put(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop", "length"))
                .put("gen_ai.usage.input_tokens", 10_000L)
                .put("gen_ai.usage.cache_read.input_tokens", 8_000L)
                .put("gen_ai.usage.output_tokens", 1_000L)
                .put("gen_ai.usage.reasoning.output_tokens", 0L)
                .put("openai.response.service_tier", "default")
                .put("openai.response.system_fingerprint", "fp_1")
                .build();
        // cost is a double computed from prices: compared with a tolerance, everything else exactly
        Map<AttributeKey<?>, Object> actual = new HashMap<>(span.getAttributes().asMap());
        Double cost = (Double) actual.remove(GenAiAttributes.COST);
        assertEquals(expected.asMap(), actual);
        assertEquals(GPT_4O_MINI_COST, cost, 1e-12);
    }

    @Test
    void embeddingsCallCarriesItsOwnAttributes() {
        InferenceCall call = new InferenceCall("openai-java", "openai", "embeddings");
        call.requestModel = "text-embedding-3-small";
        call.encodingFormats = List.of("float");
        call.embeddingsDimension = 1536L;
        call.inputTokens = 8;
        SpanData span = fixture.run(call);
        assertEquals("embeddings text-embedding-3-small", span.getName());
        assertEquals(List.of("float"), span.getAttributes().get(GenAiAttributes.ENCODING_FORMATS));
        assertEquals(1536L, span.getAttributes().get(GenAiAttributes.EMBEDDINGS_DIMENSION));
        // no server.port without server.address, and no output tokens the SDK did not report
        assertNull(span.getAttributes().get(GenAiAttributes.SERVER_PORT));
        assertNull(span.getAttributes().get(GenAiAttributes.OUTPUT_TOKENS));
    }

    @Test
    void autoServiceTierIsOmittedBecauseItIsTheDefault() {
        InferenceCall call = openAiChat("gpt-4o-mini");
        call.requestServiceTier = "auto";
        SpanData span = fixture.run(call);
        assertNull(span.getAttributes().get(GenAiAttributes.OPENAI_REQUEST_SERVICE_TIER));
        assertEquals("chat_completions", span.getAttributes().get(GenAiAttributes.OPENAI_API_TYPE));
    }

    @Test
    void openAiAttributesOnlyForOpenAiAndAzureProviders() {
        InferenceCall azure = openAiChat("gpt-4o-mini");
        azure.provider = "azure.ai.openai";
        azure.serverAddress = "example.openai.azure.com";
        assertEquals("chat_completions", fixture.run(azure).getAttributes().get(GenAiAttributes.OPENAI_API_TYPE));

        fixture.spans.reset();
        InferenceCall anthropic = new InferenceCall("anthropic-java", "anthropic", "chat");
        anthropic.requestModel = "claude-sonnet-4-5";
        anthropic.apiType = "messages";
        anthropic.requestServiceTier = "standard_only";
        LlmLens.start(anthropic);
        anthropic.responseServiceTier = "standard";
        anthropic.systemFingerprint = "fp";
        LlmLens.end(anthropic);
        Attributes attributes = fixture.onlySpan().getAttributes();
        attributes.forEach((key, value) -> assertFalse(key.getKey().startsWith("openai."), key.getKey()));
        assertEquals("anthropic", attributes.get(GenAiAttributes.PROVIDER_NAME));
    }

    @Test
    void exceptionMakesAnErrorSpanWithItsClassAndAnExceptionEvent() {
        InferenceCall call = openAiChat("gpt-4o-mini");
        LlmLens.start(call);
        LlmLens.end(call, new SocketTimeoutException("read timed out"));

        SpanData span = fixture.onlySpan();
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals("read timed out", span.getStatus().getDescription());
        assertEquals("java.net.SocketTimeoutException", span.getAttributes().get(GenAiAttributes.ERROR_TYPE));
        assertNull(span.getAttributes().get(GenAiAttributes.HTTP_STATUS)); // the SDK gave none
        List<EventData> events = span.getEvents();
        assertEquals(1, events.size());
        assertEquals("exception", events.get(0).getName());
        assertEquals("java.net.SocketTimeoutException",
                events.get(0).getAttributes().get(AttributeKey.stringKey("exception.type")));
        assertEquals("read timed out", events.get(0).getAttributes().get(AttributeKey.stringKey("exception.message")));
    }

    @Test
    void aKeyQuotedInAnErrorMessageNeverLeavesInTheSpan() {
        String key = "sk-proj-" + "Ab3dEf9hIj".repeat(5);
        InferenceCall call = openAiChat("gpt-4o-mini");
        LlmLens.start(call);
        LlmLens.end(call, new IllegalStateException("401: Incorrect API key provided: " + key,
                new RuntimeException("caused by header Authorization: Bearer " + key)));

        SpanData span = fixture.onlySpan();
        Attributes exception = span.getEvents().get(0).getAttributes();
        String message = exception.get(AttributeKey.stringKey("exception.message"));
        String stacktrace = exception.get(AttributeKey.stringKey("exception.stacktrace"));
        assertEquals("401: Incorrect API key provided: [REDACTED:openai_key]", message);
        assertEquals("401: Incorrect API key provided: [REDACTED:openai_key]", span.getStatus().getDescription());
        assertTrue(stacktrace.contains("at dev.llmlens.agent.telemetry.CallRecorderTest"), "the stack trace stays");
        assertFalse(stacktrace.contains(key), stacktrace);
        assertFalse(span.toString().contains(key), "nowhere on the span");
    }

    @Test
    void httpStatusIsRecordedOnFailedCalls() {
        InferenceCall call = openAiChat("gpt-4o-mini");
        call.httpStatus = 429;
        LlmLens.start(call);
        LlmLens.end(call, new IllegalStateException("rate limited"));
        SpanData span = fixture.onlySpan();
        assertEquals(429L, span.getAttributes().get(GenAiAttributes.HTTP_STATUS));
        assertEquals("java.lang.IllegalStateException", span.getAttributes().get(GenAiAttributes.ERROR_TYPE));
    }

    @Test
    void inBandErrorWithoutExceptionIsAnErrorOfThatType() {
        InferenceCall call = openAiChat("gpt-4o-mini");
        call.stream = true;
        LlmLens.start(call);
        call.errorType = "server_error"; // a failed stream event: no exception ever reaches the app
        LlmLens.end(call);
        SpanData span = fixture.onlySpan();
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals("server_error", span.getAttributes().get(GenAiAttributes.ERROR_TYPE));
        assertEquals(List.of(), span.getEvents());
    }

    @Test
    void streamClosedEarlyIsIncompleteNotAnError() {
        InferenceCall call = openAiChat("gpt-4o-mini");
        call.stream = true;
        LlmLens.start(call);
        call.chunkSeen();
        call.incomplete = true;
        LlmLens.end(call);
        SpanData span = fixture.onlySpan();
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        assertEquals(Boolean.TRUE, span.getAttributes().get(GenAiAttributes.INCOMPLETE));
        assertEquals(Boolean.TRUE, span.getAttributes().get(GenAiAttributes.REQUEST_STREAM));
        assertNull(span.getAttributes().get(GenAiAttributes.ERROR_TYPE));
    }

    @Test
    void timeToFirstChunkOnlyForStreamsThatSawAChunk() {
        InferenceCall stream = openAiChat("gpt-4o-mini");
        stream.stream = true;
        LlmLens.start(stream);
        stream.chunkSeen();
        LlmLens.end(stream);
        Double ttfc = fixture.onlySpan().getAttributes().get(GenAiAttributes.TIME_TO_FIRST_CHUNK);
        assertEquals((stream.firstChunkNanos - stream.startNanos) / 1e9, ttfc);
        assertTrue(ttfc >= 0 && ttfc <= (stream.endNanos - stream.startNanos) / 1e9, "ttfc " + ttfc);

        fixture.spans.reset();
        InferenceCall emptyStream = openAiChat("gpt-4o-mini");
        emptyStream.stream = true;
        assertNull(fixture.run(emptyStream).getAttributes().get(GenAiAttributes.TIME_TO_FIRST_CHUNK));

        fixture.spans.reset();
        InferenceCall notAStream = openAiChat("gpt-4o-mini");
        notAStream.chunkSeen();
        SpanData span = fixture.run(notAStream);
        assertNull(span.getAttributes().get(GenAiAttributes.TIME_TO_FIRST_CHUNK));
        assertNull(span.getAttributes().get(GenAiAttributes.REQUEST_STREAM));
    }

    @Test
    void unknownModelHasNoCostAndCountsAsUnpriced() {
        InferenceCall call = openAiChat("my-finetune-xyz");
        usage(call);
        SpanData span = fixture.run(call);
        assertNull(span.getAttributes().get(GenAiAttributes.COST)); // never a silent $0
        fixture.scrape().assertValue(1, "llmlens_unpriced_calls_total",
                Map.of("gen_ai_provider_name", "openai", "gen_ai_response_model", "my-finetune-xyz"));
        assertEquals(List.of(), fixture.scrape().find("llmlens_cost_usd_total", Map.of()));
    }

    @Test
    void callWithoutUsageIsNeitherPricedNorUnpriced() {
        SpanData span = fixture.run(openAiChat("gpt-4o-mini"));
        assertNull(span.getAttributes().get(GenAiAttributes.COST));
        assertNull(span.getAttributes().get(GenAiAttributes.INPUT_TOKENS));
        PrometheusScrape scrape = fixture.scrape();
        assertEquals(List.of(), scrape.find("llmlens_unpriced_calls_total", Map.of()));
        assertEquals(List.of(), scrape.find("llmlens_cost_usd_total", Map.of()));
    }

    @Test
    void openAiSdkPointedAtGroqIsRecordedAsGroq() {
        InferenceCall call = openAiChat("llama-3.3-70b-versatile");
        call.serverAddress = "api.groq.com";
        usage(call);
        Attributes attributes = fixture.run(call).getAttributes();
        assertEquals("groq", attributes.get(GenAiAttributes.PROVIDER_NAME));
        assertNull(attributes.get(GenAiAttributes.OPENAI_API_TYPE));
        // priced (or not) as groq, never at OpenAI's prices
        fixture.scrape().assertValue(1, "llmlens_unpriced_calls_total", Map.of("gen_ai_provider_name", "groq"));
    }

    @Test
    void endingTwiceRecordsOnce() {
        InferenceCall call = openAiChat("gpt-4o-mini");
        usage(call);
        LlmLens.start(call);
        LlmLens.end(call);
        long firstEnd = call.endNanos;
        LlmLens.end(call, new RuntimeException("late close")); // e.g. close() after the stream was drained
        assertEquals(firstEnd, call.endNanos);
        SpanData span = fixture.onlySpan();
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        PrometheusScrape scrape = fixture.scrape();
        scrape.assertValue(1, "gen_ai_client_operation_duration_seconds_count", Map.of("gen_ai_request_model", "gpt-4o-mini"));
        scrape.assertValue(10_000, "llmlens_tokens_total", Map.of("gen_ai_token_type", "input"));
        scrape.assertValue(0, "llmlens_active_calls", Map.of("gen_ai_provider_name", "openai"));
    }

    @Test
    void callWhoseStartTheAgentMissedIsStillRecordedFromItsRealStart() {
        // a call that started while the agent was still building its telemetry only reaches onEnd
        InferenceCall call = openAiChat("llama-3.3-70b-versatile");
        call.serverAddress = "api.groq.com";
        LlmLens.end(call);
        SpanData span = fixture.onlySpan();
        assertEquals(call.startEpochNanos, span.getStartEpochNanos());
        assertEquals(call.startEpochNanos + (call.endNanos - call.startNanos), span.getEndEpochNanos());
        assertEquals("groq", span.getAttributes().get(GenAiAttributes.PROVIDER_NAME));
        PrometheusScrape scrape = fixture.scrape();
        scrape.assertValue(1, "gen_ai_client_operation_duration_seconds_count", Map.of("gen_ai_provider_name", "groq"));
        // it was never counted as active, so it must not be subtracted either (no -1 series)
        assertEquals(List.of(), scrape.find("llmlens_active_calls", Map.of()));
    }
}
