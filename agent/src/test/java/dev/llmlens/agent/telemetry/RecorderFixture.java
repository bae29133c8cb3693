package dev.llmlens.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llmlens.agent.config.AgentSettings;
import dev.llmlens.agent.metrics.LlmMetrics;
import dev.llmlens.agent.pricing.PriceTable;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;

/**
 * The agent's recording side wired as at runtime, but in memory: a real SDK tracer exporting to a
 * list, a fresh Prometheus registry, the bundled price table, installed behind the bootstrap facade
 * so calls end exactly as an instrumentation ends them.
 */
final class RecorderFixture implements AutoCloseable {

    static final PriceTable PRICES = PriceTable.bundled();

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final SdkTracerProvider tracerProvider;
    final LlmMetrics metrics;
    final CallRecorder recorder;

    RecorderFixture(int labelValueLimit, Sampler sampler) {
        this(labelValueLimit, sampler, CallRecorder.Outputs.NONE);
    }

    RecorderFixture(CallRecorder.Outputs outputs) {
        this(200, Sampler.alwaysOn(), outputs);
    }

    RecorderFixture(CallRecorder.Policies policies) {
        this(200, Sampler.alwaysOn(), CallRecorder.Outputs.NONE, policies);
    }

    RecorderFixture(int labelValueLimit, Sampler sampler, CallRecorder.Outputs outputs) {
        this(labelValueLimit, sampler, outputs, CallRecorder.Policies.DEFAULT);
    }

    RecorderFixture(int labelValueLimit, Sampler sampler, CallRecorder.Outputs outputs, CallRecorder.Policies policies) {
        tracerProvider = SdkTracerProvider.builder()
                .setSampler(sampler)
                .addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build();
        metrics = new LlmMetrics(labelValueLimit);
        recorder = new CallRecorder(tracerProvider.get("llm-lens-test"), metrics, PRICES, outputs, policies,
                new ContentJson(AgentSettings.DEFAULT_CAPTURE_MAX_LENGTH));
        LlmLens.install(recorder);
    }

    RecorderFixture() {
        this(200, Sampler.alwaysOn());
    }

    /** A chat call as the openai-java module fills it before the request goes out. */
    static InferenceCall openAiChat(String model) {
        InferenceCall call = new InferenceCall("openai-java", "openai", "chat");
        call.requestModel = model;
        call.serverAddress = "api.openai.com";
        call.serverPort = 443;
        call.apiType = "chat_completions";
        return call;
    }

    /** The gpt-4o-mini usage the cost tests price by hand: 10,000 in (8,000 cached), 1,000 out. */
    static void usage(InferenceCall call) {
        call.inputTokens = 10_000;
        call.cacheReadTokens = 8_000;
        call.outputTokens = 1_000;
        call.reasoningTokens = 0;
    }

    /** Starts and ends through the facade, as an instrumentation does; returns the one exported span. */
    SpanData run(InferenceCall call) {
        LlmLens.start(call);
        LlmLens.end(call);
        return onlySpan();
    }

    SpanData onlySpan() {
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertEquals(1, finished.size(), () -> "spans: " + finished);
        return finished.get(0);
    }

    PrometheusScrape scrape() {
        return PrometheusScrape.of(metrics);
    }

    @Override
    public void close() {
        // an operation left current would silently become the parent of every later span on this thread
        assertFalse(Span.current().getSpanContext().isValid(), "an operation was left current: " + Span.current());
        LlmLens.install(null);
        tracerProvider.close();
    }
}
