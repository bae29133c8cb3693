package dev.llmlens.agent.telemetry;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.appcontext.AppMdc;
import dev.llmlens.agent.appcontext.AppOpenTelemetry;
import dev.llmlens.agent.budget.CostBudgets;
import dev.llmlens.agent.chaos.ToolChaos;
import dev.llmlens.agent.config.AgentSettings;
import dev.llmlens.agent.events.Event;
import dev.llmlens.agent.events.EventLog;
import dev.llmlens.agent.metrics.LlmMetrics;
import dev.llmlens.agent.pricing.ModelPrice;
import dev.llmlens.agent.pricing.PriceTable;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
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
    private static class Recording {
        final Operation operation;
        final Span span;
        final Context parent;
        final Context context;
        final RunTotals run;
        final Map<String, String> baggage;
        /** A tool dispatch's injected failure, waiting for the hook of the tool's own code inside it. */
        volatile RuntimeException pendingFailure;

        Recording(Operation operation, Span span, Context parent, RunTotals run, Map<String, String> baggage) {
            this.operation = operation;
            this.span = span;
            this.parent = parent;
            this.run = run;
            this.baggage = baggage;
            this.context = (span == null ? parent : parent.with(span)).with(RECORDING, this);
        }

        /** Whether the span was created and the call counted at start (see the subclasses for the others). */
        boolean live() {
            return true;
        }

        String agentName() {
            return run == null ? null : run.agentName;
        }
    }

    /**
     * A framework-level model call: no span yet. An SDK-level call inside it covers it; otherwise its
     * span is created, back-dated, when it ends.
     */
    private static final class PendingFrame extends Recording {
        volatile boolean covered;

        PendingFrame(InferenceCall call, Context parent, RunTotals run, Map<String, String> baggage) {
            super(call, null, parent, run, baggage);
        }

        @Override
        boolean live() {
            return false;
        }
    }

    /** A second hook on a tool execution another hook already records: folded into that one. */
    private static final class FoldedTool extends Recording {
        final ToolCall outer;

        FoldedTool(ToolCall tool, Recording outer) {
            super(tool, null, outer.context, outer.run, outer.baggage);
            this.outer = (ToolCall) outer.operation;
        }

        @Override
        boolean live() {
            return false;
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
    private final Policies policies;
    private final ContentJson content;

    public static final int DEFAULT_LOOP_THRESHOLD = 5;

    /**
     * What the recorder enforces besides recording; budgets and chaos may be null (not configured).
     * @param loopThreshold calls of one tool with the same arguments in one run that make a loop
     */
    public record Policies(int loopThreshold, CostBudgets budgets, ToolChaos chaos) {
        public static final Policies DEFAULT = new Policies(DEFAULT_LOOP_THRESHOLD, null, null);
    }

    public CallRecorder(Tracer tracer, LlmMetrics metrics, PriceTable prices) {
        this(tracer, metrics, prices, Outputs.NONE, Policies.DEFAULT,
                new ContentJson(AgentSettings.DEFAULT_CAPTURE_MAX_LENGTH));
    }

    /** @param content how captured content is written (used only while LlmLens.capturesContent()) */
    public CallRecorder(Tracer tracer, LlmMetrics metrics, PriceTable prices, Outputs outputs, Policies policies,
                        ContentJson content) {
        this.tracer = tracer;
        this.metrics = metrics;
        this.prices = prices;
        this.outputs = outputs;
        this.policies = policies;
        this.content = content;
    }

    @Override
    public void onStart(Operation operation) {
        try {
            Recording recording = startRecording(operation, parentOf(operation));
            operation.agentState = recording;
            if (operation instanceof InferenceCall call && recording.live()) {
                metrics.callStarted(call);
            }
            if (operation instanceof InferenceCall call && call.refusable && policies.budgets() != null) {
                call.refusal = policies.budgets().refusal(recording.agentName(), runSpend(recording),
                        traceSpend(recording));
            } else if (operation instanceof ToolCall tool && policies.chaos() != null && recording.live()) {
                injectFaults(tool, recording);
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
        SpanContext remote = operation instanceof ToolCall tool ? Traceparent.parse(tool.remoteParent) : null;
        if (remote != null && current.get(RECORDING) == null) {
            // the caller's span is in another process: it, not whatever this thread has, is the parent
            return current.with(Span.wrap(remote));
        }
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
            if (call.frameworkLevel) {
                return new PendingFrame(call, parent, run, baggage);
            }
            if (enclosing instanceof PendingFrame frame) {
                frame.covered = true; // the SDK-level call is the model call; the framework's view adds nothing
            }
            if (call.tracedBySdk) {
                return new Recording(call, null, parent, run, baggage);
            }
            builder = tracer.spanBuilder(GenAiAttributes.spanName(call)).setSpanKind(SpanKind.CLIENT);
            GenAiAttributes.onStart(builder, call);
        } else if (operation instanceof ToolCall tool) {
            if (enclosing != null && enclosing.live() && enclosing.operation instanceof ToolCall outer
                    && java.util.Objects.equals(outer.toolName, tool.toolName)) {
                foldInto(outer, enclosing.span, tool);
                RuntimeException pending = enclosing.pendingFailure;
                if (pending != null && tool.refusable) {
                    enclosing.pendingFailure = null;
                    tool.refusal = pending;
                    failureInjected(outer, enclosing.span);
                }
                return new FoldedTool(tool, enclosing);
            }
            builder = tracer.spanBuilder(GenAiAttributes.spanName(tool)).setSpanKind(
                    tool.mcpMethod == null ? SpanKind.INTERNAL : tool.mcpServer ? SpanKind.SERVER : SpanKind.CLIENT);
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
        if (operation instanceof AgentRun) {
            run.span = span;
        }
        return new Recording(operation, span, parent, run, baggage);
    }

    /** What the inner hook knows and the outer did not (a framework's call id, say) goes onto the one span. */
    private static void foldInto(ToolCall outer, Span span, ToolCall inner) {
        if (outer.toolCallId == null && inner.toolCallId != null) {
            outer.toolCallId = inner.toolCallId;
            span.setAttribute(GenAiAttributes.TOOL_CALL_ID, inner.toolCallId);
        }
        if (outer.toolDescription == null && inner.toolDescription != null) {
            outer.toolDescription = inner.toolDescription;
            span.setAttribute(GenAiAttributes.TOOL_DESCRIPTION, inner.toolDescription);
        }
        if (outer.arguments == null) {
            outer.arguments = inner.arguments;
        }
        if (outer.mcpMethod == null && inner.mcpMethod != null) {
            // a framework's tool that is a call to an MCP server: one span, which says so
            outer.mcpMethod = inner.mcpMethod;
            span.setAttribute(GenAiAttributes.MCP_METHOD_NAME, inner.mcpMethod);
        }
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
            if (operation.agentState instanceof PendingFrame frame) {
                if (frame.covered) {
                    return;
                }
                // no SDK hook saw this model call (the framework has its own HTTP client): it is the span
                ((InferenceCall) operation).frameworkLevel = false;
                recording = startRecording(operation, frame.parent);
            } else if (operation.agentState instanceof FoldedTool folded) {
                // the inner hook may be the one that saw what the tool returned (the @Tool method under a dispatcher)
                if (folded.outer.result == null) {
                    folded.outer.result = ((ToolCall) operation).result;
                }
                return;
            } else if (operation.agentState instanceof Recording started) {
                recording = started;
                if (operation instanceof InferenceCall call) {
                    metrics.callEnded(call);
                }
            } else if (operation instanceof InferenceCall call && call.frameworkLevel) {
                // a framework's view of a call made while the agent was starting up: nothing says whether
                // an SDK span covered it, and counting a call twice is worse than missing one
                return;
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
        if (cost != null && policies.budgets() != null) {
            for (CostBudgets.Crossing crossing : policies.budgets().spent(cost, runSpend(recording), traceSpend(recording))) {
                budgetSpent(crossing, recording);
            }
        }
        Span span = recording.span;
        try {
            if (span != null) {
                GenAiAttributes.onEnd(span, call, cost);
                if (LlmLens.capturesContent()) {
                    GenAiAttributes.onContent(span, call, content);
                }
            }
        } finally {
            // whatever went wrong with an attribute, the span ends and the call is counted
            metrics.callRecorded(call, cost, unpriced, end(span, call));
            emit(call, recording, cost, null);
        }
    }

    private void endTool(ToolCall tool, Recording recording) {
        if (recording.run != null) {
            int sameCalls = recording.run.addToolCall(tool.toolName, tool.arguments);
            if (sameCalls == policies.loopThreshold()) {
                loopDetected(tool, recording, sameCalls);
            }
        }
        try {
            if (LlmLens.capturesContent()) {
                GenAiAttributes.onContent(recording.span, tool, content);
            }
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

    /** Once per (run, tool, arguments), when the count reaches the threshold; later repeats add nothing. */
    private void loopDetected(ToolCall tool, Recording recording, int sameCalls) {
        String agent = recording.agentName();
        for (Span span : new Span[] {recording.run.span, recording.span}) {
            if (span != null) {
                span.addEvent(GenAiAttributes.LOOP_DETECTED_EVENT, GenAiAttributes.loopDetected(tool.toolName, sameCalls));
            }
        }
        metrics.loopDetected(agent, tool.toolName);
        AgentLog.warnOnce("loop:" + agent + ":" + tool.toolName, "Agent " + agent + " called tool " + tool.toolName
                + " " + sameCalls + " times with the same arguments in one run: a loop? (span event "
                + GenAiAttributes.LOOP_DETECTED_EVENT + ", llmlens_loop_detected_total; threshold llmlens.loop.threshold)");
    }

    private CostBudgets.Spend runSpend(Recording recording) {
        return recording.run == null ? null : recording.run.budgetSpend(policies.budgets());
    }

    private CostBudgets.Spend traceSpend(Recording recording) {
        SpanContext ids = Span.fromContext(recording.context).getSpanContext();
        return policies.budgets().traceSpend(ids.isValid() ? ids.getTraceId() : null);
    }

    /** Once per run or trace: the call that spent the budget says so, and so does the run. */
    private void budgetSpent(CostBudgets.Crossing crossing, Recording recording) {
        CostBudgets budgets = policies.budgets();
        String agent = recording.agentName();
        var attributes = GenAiAttributes.budgetExceeded(crossing, budgets.action());
        for (Span span : new Span[] {crossing.scope() == CostBudgets.Scope.RUN ? recording.run.span : null, recording.span}) {
            if (span != null) {
                span.addEvent(GenAiAttributes.BUDGET_EXCEEDED_EVENT, attributes);
            }
        }
        metrics.budgetExceeded(crossing.scope().label, budgets.action(), agent);
        AgentLog.warnOnce("budget:" + crossing.scope().label + ":" + agent, String.format(java.util.Locale.ROOT,
                "Cost budget spent: %s %shas cost $%.6f, budget $%.6f (%s). %s", crossing.scope() == CostBudgets.Scope.RUN
                        ? "agent run" : "trace", agent == null ? "" : "of agent " + agent + " ", crossing.spentUsd(),
                crossing.limitUsd(), crossing.scope().key, budgets.blocks()
                        ? "Its next model calls fail before sending (llmlens.budget.action=block)."
                        : "Calls go on (llmlens.budget.action=warn); span event " + GenAiAttributes.BUDGET_EXCEEDED_EVENT + "."));
    }

    /** Added latency happens here, on the tool's own thread; an injected failure replaces the tool's code. */
    private void injectFaults(ToolCall tool, Recording recording) {
        ToolChaos chaos = policies.chaos();
        if (!chaos.targets(tool.toolName)) {
            return;
        }
        long latency = chaos.pickLatency();
        if (latency > 0) {
            recording.span.addEvent(GenAiAttributes.CHAOS_EVENT, GenAiAttributes.chaosInjected(ToolChaos.LATENCY, latency));
            metrics.chaosInjected(tool.toolName, ToolChaos.LATENCY);
            ToolChaos.delay(latency);
        }
        // a hook that cannot stop its method (no refusal gate around it) gets latency only, never a failure it would not see
        if (tool.refusable || tool.dispatcher) {
            RuntimeException failure = chaos.pickFailure(tool.toolName);
            if (failure != null && tool.dispatcher) {
                recording.pendingFailure = failure; // thrown by the tool's own code, inside the framework's error handling
            } else if (failure != null) {
                tool.refusal = failure;
                failureInjected(tool, recording.span);
            }
        }
    }

    private void failureInjected(ToolCall tool, Span span) {
        span.addEvent(GenAiAttributes.CHAOS_EVENT, GenAiAttributes.chaosInjected(ToolChaos.FAILURE, 0));
        metrics.chaosInjected(tool.toolName, ToolChaos.FAILURE);
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
    public String traceparent(Operation operation) {
        // a folded or SDK-traced operation sends the span that stands for it
        Span span = operation.agentState instanceof Recording recording ? Span.fromContext(recording.context) : null;
        return span == null ? null : Traceparent.format(span.getSpanContext());
    }

    @Override
    public void onInstrumentationError(String module, Throwable error) {
        metrics.agentError(module);
        AgentLog.warnOnce("error:" + module + ":" + error.getClass().getName(),
                module + " met something it did not expect and recorded less (the app is unaffected): " + error);
        AgentLog.debug(module + " error", error);
    }
}
