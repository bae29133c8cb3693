package dev.llmlens.agent.telemetry;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.metrics.LlmMetrics;
import dev.llmlens.agent.pricing.ModelPrice;
import dev.llmlens.agent.pricing.PriceTable;
import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.InferenceCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.TimeUnit;

/**
 * Turns each finished call into a span, metrics and a cost. On the app's thread it does only
 * in-memory work; spans are exported in batches by the SDK's own daemon thread.
 */
public final class CallRecorder implements CallObserver {

    private final Tracer tracer;
    private final LlmMetrics metrics;
    private final PriceTable prices;

    public CallRecorder(Tracer tracer, LlmMetrics metrics, PriceTable prices) {
        this.tracer = tracer;
        this.metrics = metrics;
        this.prices = prices;
    }

    @Override
    public void onStart(InferenceCall call) {
        try {
            call.agentState = startSpan(call);
            metrics.callStarted(call);
        } catch (Throwable t) {
            onInstrumentationError("agent", t);
        }
    }

    private Span startSpan(InferenceCall call) {
        call.provider = ProviderHosts.resolve(call.provider, call.serverAddress);
        var builder = tracer.spanBuilder(GenAiAttributes.spanName(call))
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(call.startEpochNanos, TimeUnit.NANOSECONDS);
        GenAiAttributes.onStart(builder, call);
        return builder.startSpan();
    }

    @Override
    public void onEnd(InferenceCall call) {
        try {
            Span span;
            if (call.agentState instanceof Span started) {
                span = started;
                metrics.callEnded(call);
            } else {
                span = startSpan(call); // the call started while the agent was still starting up
            }
            Double cost = null;
            boolean unpriced = false;
            if (call.inputTokens >= 0 || call.outputTokens >= 0) {
                ModelPrice price = priceOf(call);
                if (price != null) {
                    cost = price.cost(call.inputTokens, call.cacheReadTokens, call.cacheWriteTokens, call.outputTokens);
                } else {
                    unpriced = true;
                    String model = call.responseModel != null ? call.responseModel : call.requestModel;
                    AgentLog.warnOnce("unpriced:" + call.provider + ":" + model, "No price for provider " + call.provider
                            + ", model " + model + ": its calls carry no cost and count in llmlens_unpriced_calls_total."
                            + " Add it with llmlens.pricing.file.");
                }
            }
            try {
                GenAiAttributes.onEnd(span, call, cost);
            } finally {
                // whatever went wrong with an attribute, the span ends and the call is counted
                span.end(call.startEpochNanos + (call.endNanos - call.startNanos), TimeUnit.NANOSECONDS);
                SpanContext context = span.getSpanContext();
                Labels exemplar = context.isSampled()
                        ? Labels.of("trace_id", context.getTraceId(), "span_id", context.getSpanId())
                        : null;
                metrics.callRecorded(call, cost, unpriced, exemplar);
            }
        } catch (Throwable t) {
            onInstrumentationError("agent", t);
        }
    }

    private ModelPrice priceOf(InferenceCall call) {
        ModelPrice price = call.responseModel == null ? null : prices.find(call.provider, call.responseModel);
        if (price == null && call.requestModel != null) {
            price = prices.find(call.provider, call.requestModel);
        }
        return price;
    }

    @Override
    public void onInstrumentationError(String module, Throwable error) {
        metrics.agentError(module);
        AgentLog.warnOnce("error:" + module + ":" + error.getClass().getName(),
                module + " met something it did not expect and recorded less (the app is unaffected): " + error);
        AgentLog.debug(module + " error", error);
    }
}
