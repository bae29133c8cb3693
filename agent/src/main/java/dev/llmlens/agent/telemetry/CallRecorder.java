package dev.llmlens.agent.telemetry;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.appcontext.AppMdc;
import dev.llmlens.agent.appcontext.AppOpenTelemetry;
import dev.llmlens.agent.events.Event;
import dev.llmlens.agent.events.EventLog;
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
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns each finished operation into a span, metrics and a cost. On the app's thread it does only
 * in-memory work; spans are exported in batches by the SDK's own daemon thread.
 */
public final class CallRecorder implements CallObserver {

    /** The operation whose children start in a context, carried in the agent's own context. */
    private static final ContextKey<Recording> RECORDING = ContextKey.named("llmlens-operation");

    /**
     * What the agent keeps per operation. {@code span} is null for a call the SDK traces itself;
     * {@code context} is what the operation's children start in (it carries this recording);
     * {@code run} the enclosing (or own) run; {@code baggage} the app's entries, inherited by children.
     */
    private static final class Recording {
        final Span span;
        final Context context;
        final RunTotals run;
        final Map<String, String> baggage;

        Recording(Span span, Context parent, RunTotals run, Map<String, String> baggage) {
            this.span = span;
            this.run = run;
            this.baggage = baggage;
            this.context = (span == null ? parent : parent.with(span)).with(RECORDING, this);
        }

        String agentName() {
            return run == null ? null : run.agentName;
        }
    }

    /** Where the recorder reaches beyond its own world; each part may be absent (null). */
    public record Outputs(EventLog events, EventLog audit, AppOpenTelemetry appOpenTelemetry, AppMdc mdc) {
        public static final Outputs NONE = new Outputs(null, null, null, null);
    }

    private final Tracer tracer;
    private final LlmMetrics metrics;
    private final PriceTable prices;
    private final Outputs outputs;

    public CallRecorder(Tracer tracer, LlmMetrics metrics, PriceTable prices) {
        this(tracer, metrics, prices, Outputs.NONE);
    }

    public CallRecorder(Tracer tracer, LlmMetrics metrics, PriceTable prices, Outputs outputs) {
        this.tracer = tracer;
        this.metrics = metrics;
        this.prices = prices;
        this.outputs = outputs;
    }

    @Override
    public void onStart(Operation operation) {
        try {
            Recording recording = startRecording(operation, parentOf(operation));
            operation.agentState = recording;
            if (operation instanceof InferenceCall call) {
                metrics.callStarted(call);
            }
            Object mdc = null;
            if (outputs.mdc() != null && recording.span != null) {
                SpanContext ids = recording.span.getSpanContext();
                mdc = outputs.mdc().enter(ids.getTraceId(), ids.getSpanId());
            }
            operation.scope = new OperationScope(recording.context.makeCurrent(), mdc);
            operation.scopeThread = Thread.currentThread();
        } catch (Throwable t) {
            onInstrumentationError("agent", t);
        }
    }

    private record OperationScope(Scope context, Object mdc) {}

    /**
     * Our own enclosing operation if there is one (explicit, or current on this thread); otherwise the
     * app's own current span, so our spans join the app's trace.
     */
    private Context parentOf(Operation operation) {
        if (operation.parent != null && operation.parent.agentState instanceof Recording enclosing) {
            return enclosing.context;
        }
        Context current = Context.current();
        if (current.get(RECORDING) == null && outputs.appOpenTelemetry() != null) {
            AppOpenTelemetry.ParentSpan app = outputs.appOpenTelemetry().currentSpan();
            if (app != null) {
                return current.with(Span.wrap(SpanContext.create(app.traceId(), app.spanId(),
                        app.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())));
            }
        }
        return current;
    }

    private Recording startRecording(Operation operation, Context parent) {
        Recording enclosing = parent.get(RECORDING);
        RunTotals run = enclosing == null ? null : enclosing.run;
        Map<String, String> baggage = enclosing != null ? enclosing.baggage
                : outputs.appOpenTelemetry() != null ? outputs.appOpenTelemetry().baggage() : Map.of();
        SpanBuilder builder;
        if (operation instanceof InferenceCall call) {
            call.provider = ProviderHosts.resolve(call.provider, call.serverAddress);
            if (call.tracedBySdk) {
                return new Recording(null, parent, run, baggage);
            }
            builder = tracer.spanBuilder(GenAiAttributes.spanName(call)).setSpanKind(SpanKind.CLIENT);
            GenAiAttributes.onStart(builder, call);
        } else if (operation instanceof ToolCall tool) {
            builder = tracer.spanBuilder(GenAiAttributes.spanName(tool)).setSpanKind(SpanKind.INTERNAL);
            GenAiAttributes.onStart(builder, tool, enclosing == null ? null : enclosing.agentName());
        } else {
            AgentRun agentRun = (AgentRun) operation;
            builder = tracer.spanBuilder(GenAiAttributes.spanName(agentRun)).setSpanKind(SpanKind.INTERNAL);
            GenAiAttributes.onStart(builder, agentRun);
            run = new RunTotals(agentRun.agentName);
        }
        baggage.forEach(builder::setAttribute);
        Span span = builder.setParent(parent)
                .setStartTimestamp(operation.startEpochNanos, TimeUnit.NANOSECONDS)
                .startSpan();
        return new Recording(span, parent, run, baggage);
    }

    @Override
    public void onLeave(Operation operation) {
        try {
            if (operation.scope instanceof OperationScope scope) {
                operation.scope = null;
                operation.scopeThread = null;
                scope.context().close();
                if (outputs.mdc() != null) {
                    outputs.mdc().restore(scope.mdc());
                }
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
        if (recording.run != null) {
            recording.run.addModelCall(call.inputTokens, call.outputTokens, cost);
        }
        Span span = recording.span;
        try {
            if (span != null) {
                GenAiAttributes.onEnd(span, call, cost);
            }
        } finally {
            // whatever went wrong with an attribute, the span ends and the call is counted
            metrics.callRecorded(call, cost, unpriced, end(span, call));
            emit(call, recording, cost, null);
        }
    }

    private void endTool(ToolCall tool, Recording recording) {
        if (recording.run != null) {
            recording.run.addToolCall();
        }
        try {
            GenAiAttributes.onOutcome(recording.span, tool);
        } finally {
            metrics.toolRecorded(tool, end(recording.span, tool));
            emit(tool, recording, null, null);
        }
    }

    private void endRun(AgentRun run, Recording recording) {
        RunTotals totals = recording.run;
        Double cost = totals.pricedCalls() > 0 ? totals.costUsd() : null;
        try {
            GenAiAttributes.onEnd(recording.span, run, totals);
        } finally {
            metrics.runRecorded(run, cost, end(recording.span, run));
            emit(run, recording, cost, new long[] {totals.modelCalls(), totals.toolCalls(), totals.inputTokens(),
                    totals.outputTokens()});
        }
    }

    /** Event lines for every operation; the audit trail for what the app's agents did (tools and runs). */
    private void emit(Operation operation, Recording recording, Double cost, long[] runTotals) {
        boolean audited = outputs.audit() != null && !(operation instanceof InferenceCall);
        if (outputs.events() == null && !audited) {
            return;
        }
        SpanContext ids = recording.span == null ? SpanContext.getInvalid() : recording.span.getSpanContext();
        // a run's own name is on the run; what its children carry is the enclosing run's
        String agentName = operation instanceof AgentRun ? null : recording.agentName();
        Event event = new Event(operation, ids.isValid() ? ids.getTraceId() : null,
                ids.isValid() ? ids.getSpanId() : null, cost, agentName, runTotals, recording.baggage);
        if (outputs.events() != null) {
            outputs.events().offer(event);
        }
        if (audited) {
            outputs.audit().offer(event);
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
