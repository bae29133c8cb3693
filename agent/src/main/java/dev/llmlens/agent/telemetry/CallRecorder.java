package dev.llmlens.agent.telemetry;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.metrics.LlmMetrics;
import dev.llmlens.agent.pricing.ModelPrice;
import dev.llmlens.agent.pricing.PriceTable;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.Operation;
import dev.llmlens.bootstrap.ToolCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.TimeUnit;

/**
 * Turns each finished operation into a span, metrics and a cost. On the app's thread it does only
 * in-memory work; spans are exported in batches by the SDK's own daemon thread.
 */
public final class CallRecorder implements CallObserver {

    /** The run an operation belongs to, carried in the agent's own context next to the span. */
    private static final ContextKey<RunTotals> RUN = ContextKey.named("llmlens-run");

    /**
     * What the agent keeps per operation. {@code span} is null for a call the SDK traces itself;
     * {@code context} is what the operation's children start in.
     */
    private record Recording(Span span, Context context, RunTotals run) {}

    private final Tracer tracer;
    private final LlmMetrics metrics;
    private final PriceTable prices;

    public CallRecorder(Tracer tracer, LlmMetrics metrics, PriceTable prices) {
        this.tracer = tracer;
        this.metrics = metrics;
        this.prices = prices;
    }

    @Override
    public void onStart(Operation operation) {
        try {
            Context parent = operation.parent != null && operation.parent.agentState instanceof Recording enclosing
                    ? enclosing.context()
                    : Context.current();
            Recording recording = startRecording(operation, parent);
            operation.agentState = recording;
            if (operation instanceof InferenceCall call) {
                metrics.callStarted(call);
            }
            operation.scope = recording.context().makeCurrent();
            operation.scopeThread = Thread.currentThread();
        } catch (Throwable t) {
            onInstrumentationError("agent", t);
        }
    }

    private Recording startRecording(Operation operation, Context parent) {
        RunTotals run = parent.get(RUN);
        SpanBuilder builder;
        if (operation instanceof InferenceCall call) {
            call.provider = ProviderHosts.resolve(call.provider, call.serverAddress);
            if (call.tracedBySdk) {
                return new Recording(null, parent, run);
            }
            builder = tracer.spanBuilder(GenAiAttributes.spanName(call)).setSpanKind(SpanKind.CLIENT);
            GenAiAttributes.onStart(builder, call);
        } else if (operation instanceof ToolCall tool) {
            builder = tracer.spanBuilder(GenAiAttributes.spanName(tool)).setSpanKind(SpanKind.INTERNAL);
            GenAiAttributes.onStart(builder, tool, run == null ? null : run.agentName);
        } else {
            AgentRun agentRun = (AgentRun) operation;
            builder = tracer.spanBuilder(GenAiAttributes.spanName(agentRun)).setSpanKind(SpanKind.INTERNAL);
            GenAiAttributes.onStart(builder, agentRun);
            run = new RunTotals(agentRun.agentName);
        }
        Span span = builder.setParent(parent)
                .setStartTimestamp(operation.startEpochNanos, TimeUnit.NANOSECONDS)
                .startSpan();
        Context context = parent.with(span);
        return new Recording(span, operation instanceof AgentRun ? context.with(RUN, run) : context, run);
    }

    @Override
    public void onLeave(Operation operation) {
        try {
            if (operation.scope instanceof Scope scope) {
                operation.scope = null;
                operation.scopeThread = null;
                scope.close();
            }
        } catch (Throwable t) {
            onInstrumentationError("agent", t);
        }
    }

    @Override
    public void onEnd(Operation operation) {
        try {
            Recording recording;
            if (operation.agentState instanceof Recording started) {
                recording = started;
                if (operation instanceof InferenceCall call) {
                    metrics.callEnded(call);
                }
            } else {
                // it started while the agent was still starting up: its span starts now, back-dated
                recording = startRecording(operation, Context.root());
            }
            if (operation instanceof InferenceCall call) {
                endInference(call, recording);
            } else if (operation instanceof ToolCall tool) {
                endTool(tool, recording);
            } else {
                endRun((AgentRun) operation, recording);
            }
        } catch (Throwable t) {
            onInstrumentationError("agent", t);
        }
    }

    private void endInference(InferenceCall call, Recording recording) {
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
        if (recording.run() != null) {
            recording.run().addModelCall(call.inputTokens, call.outputTokens, cost);
        }
        Span span = recording.span();
        try {
            if (span != null) {
                GenAiAttributes.onEnd(span, call, cost);
            }
        } finally {
            // whatever went wrong with an attribute, the span ends and the call is counted
            metrics.callRecorded(call, cost, unpriced, end(span, call));
        }
    }

    private void endTool(ToolCall tool, Recording recording) {
        if (recording.run() != null) {
            recording.run().addToolCall();
        }
        try {
            GenAiAttributes.onOutcome(recording.span(), tool);
        } finally {
            metrics.toolRecorded(tool, end(recording.span(), tool));
        }
    }

    private void endRun(AgentRun run, Recording recording) {
        RunTotals totals = recording.run();
        try {
            GenAiAttributes.onEnd(recording.span(), run, totals);
        } finally {
            metrics.runRecorded(run, totals.pricedCalls() > 0 ? totals.costUsd() : null, end(recording.span(), run));
        }
    }

    /** Ends the span at the operation's own end time. @return its exemplar labels, or null when not sampled. */
    private static Labels end(Span span, Operation operation) {
        if (span == null) {
            return null;
        }
        span.end(operation.startEpochNanos + (operation.endNanos - operation.startNanos), TimeUnit.NANOSECONDS);
        SpanContext context = span.getSpanContext();
        return context.isSampled() ? Labels.of("trace_id", context.getTraceId(), "span_id", context.getSpanId()) : null;
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
