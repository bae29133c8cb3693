package dev.llmlens.agent.metrics;

import dev.llmlens.agent.telemetry.GenAiAttributes;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.ToolCall;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.tracer.common.SpanContext;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The Prometheus side of the telemetry contract (README, "Metrics"), derived from each finished
 * call. Recorded for every call, whatever the trace sampler decided.
 */
public final class LlmMetrics {

    /** gen_ai.client.operation.duration / time_to_first_chunk advisory buckets (genai semconv). */
    static final double[] DURATION_BUCKETS = {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};
    /** gen_ai.client.token.usage advisory buckets. */
    static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};

    /** gen_ai.invoke_agent.duration advisory buckets. */
    static final double[] RUN_DURATION_BUCKETS = {0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6};
    /** USD per run: from a cheap one-shot call to a runaway loop. */
    static final double[] RUN_COST_BUCKETS = {0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 50};

    private static final String OPERATION = "gen_ai_operation_name";
    private static final String PROVIDER = "gen_ai_provider_name";
    private static final String REQUEST_MODEL = "gen_ai_request_model";
    private static final String RESPONSE_MODEL = "gen_ai_response_model";
    private static final String SERVER_ADDRESS = "server_address";
    private static final String SERVER_PORT = "server_port";
    private static final String TOKEN_TYPE = "gen_ai_token_type";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final int labelValueLimit;

    private final Histogram duration;
    private final LabelValueLimit durationLabels;
    private final Histogram tokenUsage;
    private final LabelValueLimit tokenUsageLabels;
    private final Histogram timeToFirstChunk;
    private final LabelValueLimit timeToFirstChunkLabels;
    private final Counter tokens;
    private final LabelValueLimit tokensLabels;
    private final Counter cost;
    private final LabelValueLimit costLabels;
    private final Counter unpriced;
    private final LabelValueLimit unpricedLabels;
    private final Gauge activeCalls;
    private final LabelValueLimit activeCallsLabels;
    private final Counter agentErrors;
    private final Counter toolCalls;
    private final Histogram toolDuration;
    private final LabelValueLimit toolLabels;
    private final Counter agentRuns;
    private final Histogram runDuration;
    private final Histogram runCost;
    private final LabelValueLimit runLabels;
    private final Counter loops;
    private final LabelValueLimit loopLabels;
    private final Counter budgets;
    private final LabelValueLimit budgetLabels;
    private final Counter chaos;
    private final LabelValueLimit chaosLabels;

    public LlmMetrics(int labelValueLimit) {
        this.labelValueLimit = labelValueLimit;
        SpanContextSupplier.setSpanContext(NoCurrentSpan.INSTANCE);
        duration = Histogram.builder().name("gen_ai_client_operation_duration_seconds").unit(Unit.SECONDS)
                .help("Duration of GenAI client operations (one per model call, retries included)")
                .labelNames(OPERATION, PROVIDER, REQUEST_MODEL, RESPONSE_MODEL, SERVER_ADDRESS, SERVER_PORT, "error_type")
                .classicUpperBounds(DURATION_BUCKETS).classicOnly().register(registry);
        durationLabels = limit(7);
        tokenUsage = Histogram.builder().name("gen_ai_client_token_usage")
                .help("Tokens per GenAI client operation, by type (input includes cached, output includes reasoning)")
                .labelNames(OPERATION, PROVIDER, REQUEST_MODEL, RESPONSE_MODEL, SERVER_ADDRESS, SERVER_PORT, TOKEN_TYPE)
                .classicUpperBounds(TOKEN_BUCKETS).classicOnly().register(registry);
        tokenUsageLabels = limit(7);
        timeToFirstChunk = Histogram.builder().name("gen_ai_client_operation_time_to_first_chunk_seconds").unit(Unit.SECONDS)
                .help("Time from request to the first chunk handed to the app, for streaming calls")
                .labelNames(OPERATION, PROVIDER, REQUEST_MODEL, RESPONSE_MODEL, SERVER_ADDRESS, SERVER_PORT)
                .classicUpperBounds(DURATION_BUCKETS).classicOnly().register(registry);
        timeToFirstChunkLabels = limit(6);
        tokens = Counter.builder().name("llmlens_tokens_total")
                .help("Tokens by type: input, output, cache_read, cache_write, reasoning (cache_* are part of input and"
                        + " reasoning part of output: never sum across types)")
                .labelNames(PROVIDER, REQUEST_MODEL, RESPONSE_MODEL, TOKEN_TYPE).register(registry);
        tokensLabels = limit(4);
        cost = Counter.builder().name("llmlens_cost_usd_total")
                .help("Estimated cost of model calls in USD, from the bundled price table (see llmlens.pricing.file)")
                .labelNames(PROVIDER, REQUEST_MODEL, RESPONSE_MODEL).register(registry);
        costLabels = limit(3);
        unpriced = Counter.builder().name("llmlens_unpriced_calls_total")
                .help("Model calls whose (provider, model) is not in the price table: their cost is unknown, not zero")
                .labelNames(PROVIDER, RESPONSE_MODEL).register(registry);
        unpricedLabels = limit(2);
        activeCalls = Gauge.builder().name("llmlens_active_calls")
                .help("Model calls in flight (streams count until they end)")
                .labelNames(OPERATION, PROVIDER).register(registry);
        activeCallsLabels = limit(2);
        agentErrors = Counter.builder().name("llmlens_agent_errors_total")
                .help("Failures inside llm-lens itself; the app was not affected, telemetry may be missing")
                .labelNames("module").register(registry);
        toolCalls = Counter.builder().name("llmlens_tool_calls_total")
                .help("Tool executions seen running in this process")
                .labelNames("gen_ai_tool_name", "error_type").register(registry);
        toolDuration = Histogram.builder().name("llmlens_tool_duration_seconds").unit(Unit.SECONDS)
                .help("Duration of tool executions")
                .labelNames("gen_ai_tool_name", "error_type")
                .classicUpperBounds(DURATION_BUCKETS).classicOnly().register(registry);
        toolLabels = limit(2);
        agentRuns = Counter.builder().name("llmlens_agent_runs_total")
                .help("Agent runs and tool loops (invoke_agent spans)")
                .labelNames("gen_ai_agent_name", "error_type").register(registry);
        runDuration = Histogram.builder().name("llmlens_agent_run_duration_seconds").unit(Unit.SECONDS)
                .help("Duration of agent runs, model calls and tools included")
                .labelNames("gen_ai_agent_name", "error_type")
                .classicUpperBounds(RUN_DURATION_BUCKETS).classicOnly().register(registry);
        runCost = Histogram.builder().name("llmlens_agent_run_cost_usd")
                .help("Estimated cost of each agent run in USD (priced model calls inside it)")
                .labelNames("gen_ai_agent_name", "error_type")
                .classicUpperBounds(RUN_COST_BUCKETS).classicOnly().register(registry);
        runLabels = limit(2);
        loops = Counter.builder().name("llmlens_loop_detected_total")
                .help("Runs that called one tool with the same arguments llmlens.loop.threshold times")
                .labelNames("gen_ai_agent_name", "gen_ai_tool_name").register(registry);
        loopLabels = limit(2);
        budgets = Counter.builder().name("llmlens_budget_exceeded_total")
                .help("Agent runs or traces that spent their cost budget (llmlens.budget.*), once each")
                .labelNames("llmlens_budget", "action", "gen_ai_agent_name").register(registry);
        budgetLabels = limit(3);
        chaos = Counter.builder().name("llmlens_chaos_injected_total")
                .help("Faults injected into tool executions on purpose (llmlens.chaos.*)")
                .labelNames("gen_ai_tool_name", "fault").register(registry);
        chaosLabels = limit(2);
    }

    public void budgetExceeded(String budget, String action, String agentName) {
        budgets.labelValues(budgetLabels.apply(budget, action, agentName)).inc();
    }

    public void chaosInjected(String toolName, String fault) {
        chaos.labelValues(chaosLabels.apply(toolName, fault)).inc();
    }

    public void loopDetected(String agentName, String toolName) {
        loops.labelValues(loopLabels.apply(agentName, toolName)).inc();
    }

    /**
     * Exemplars are attached explicitly from the finished span. Left to itself the Prometheus client
     * would take the *current* span (a run or tool around a model call) as the exemplar and mark it
     * with an {@code exemplar=true} attribute.
     */
    private enum NoCurrentSpan implements SpanContext {
        INSTANCE;

        @Override public String getCurrentTraceId() { return null; }
        @Override public String getCurrentSpanId() { return null; }
        @Override public boolean isCurrentSpanSampled() { return false; }
        @Override public void markCurrentSpanAsExemplar() {}
    }

    private LabelValueLimit limit(int labels) {
        return new LabelValueLimit(labels, labelValueLimit);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void callStarted(InferenceCall call) {
        activeCalls.labelValues(activeCallsLabels.apply(call.operation, call.provider)).inc();
    }

    public void callEnded(InferenceCall call) {
        activeCalls.labelValues(activeCallsLabels.apply(call.operation, call.provider)).dec();
    }

    /**
     * @param costUsd null when unknown (no usage reported, or unpriced)
     * @param exemplar trace_id/span_id of the call's span, or null when it was not sampled
     */
    public void callRecorded(InferenceCall call, Double costUsd, boolean unpricedModel, Labels exemplar) {
        String port = call.serverPort > 0 ? Integer.toString(call.serverPort) : "";
        String errorType = GenAiAttributes.errorType(call);
        observe(duration.labelValues(durationLabels.apply(call.operation, call.provider, call.requestModel,
                call.responseModel, call.serverAddress, port, errorType == null ? "" : errorType)),
                GenAiAttributes.durationSeconds(call), exemplar);
        if (call.inputTokens >= 0) {
            observe(tokenUsage.labelValues(tokenUsageLabels.apply(call.operation, call.provider, call.requestModel,
                    call.responseModel, call.serverAddress, port, "input")), call.inputTokens, exemplar);
        }
        if (call.outputTokens >= 0) {
            observe(tokenUsage.labelValues(tokenUsageLabels.apply(call.operation, call.provider, call.requestModel,
                    call.responseModel, call.serverAddress, port, "output")), call.outputTokens, exemplar);
        }
        if (call.stream && call.firstChunkNanos > 0) {
            observe(timeToFirstChunk.labelValues(timeToFirstChunkLabels.apply(call.operation, call.provider,
                    call.requestModel, call.responseModel, call.serverAddress, port)),
                    GenAiAttributes.timeToFirstChunkSeconds(call), exemplar);
        }
        countTokens(call, "input", call.inputTokens, exemplar);
        countTokens(call, "output", call.outputTokens, exemplar);
        countTokens(call, "cache_read", call.cacheReadTokens, exemplar);
        countTokens(call, "cache_write", call.cacheWriteTokens, exemplar);
        countTokens(call, "reasoning", call.reasoningTokens, exemplar);
        if (costUsd != null) {
            var point = cost.labelValues(costLabels.apply(call.provider, call.requestModel, call.responseModel));
            if (exemplar != null) {
                point.incWithExemplar(costUsd, exemplar);
            } else {
                point.inc(costUsd);
            }
        }
        if (unpricedModel) {
            String model = call.responseModel != null ? call.responseModel : call.requestModel;
            unpriced.labelValues(unpricedLabels.apply(call.provider, model)).inc();
        }
    }

    private void countTokens(InferenceCall call, String type, long count, Labels exemplar) {
        if (count < 0) {
            return;
        }
        var point = tokens.labelValues(tokensLabels.apply(call.provider, call.requestModel, call.responseModel, type));
        if (exemplar != null && count > 0) {
            point.incWithExemplar(count, exemplar);
        } else {
            point.inc(count);
        }
    }

    private static void observe(io.prometheus.metrics.core.datapoints.DistributionDataPoint point, double value, Labels exemplar) {
        if (exemplar != null) {
            point.observeWithExemplar(value, exemplar);
        } else {
            point.observe(value);
        }
    }

    public void toolRecorded(ToolCall tool, Labels exemplar) {
        String[] labels = toolLabels.apply(tool.toolName, errorLabel(tool));
        inc(toolCalls.labelValues(labels), exemplar);
        observe(toolDuration.labelValues(labels), GenAiAttributes.durationSeconds(tool), exemplar);
    }

    /** @param costUsd null when no model call inside the run was priced */
    public void runRecorded(AgentRun run, Double costUsd, Labels exemplar) {
        String[] labels = runLabels.apply(run.agentName, errorLabel(run));
        inc(agentRuns.labelValues(labels), exemplar);
        observe(runDuration.labelValues(labels), GenAiAttributes.durationSeconds(run), exemplar);
        if (costUsd != null) {
            observe(runCost.labelValues(labels), costUsd, exemplar);
        }
    }

    private static String errorLabel(dev.llmlens.bootstrap.Operation operation) {
        String errorType = GenAiAttributes.errorType(operation);
        return errorType == null ? "" : errorType;
    }

    private static void inc(io.prometheus.metrics.core.datapoints.CounterDataPoint point, Labels exemplar) {
        if (exemplar != null) {
            point.incWithExemplar(exemplar);
        } else {
            point.inc();
        }
    }

    public void agentError(String module) {
        agentErrors.labelValues(module == null ? "agent" : module).inc();
    }

    /** llmlens_export_dropped_total{signal}: telemetry the app produced that never left the process. */
    public void exportDropped(LongSupplier droppedSpans, LongSupplier droppedEvents) {
        CounterWithCallback.builder().name("llmlens_export_dropped_total")
                .help("Telemetry dropped by llm-lens (backend unreachable or queue full); the app was not slowed")
                .labelNames("signal")
                .callback(callback -> {
                    callback.call(droppedSpans.getAsLong(), "traces");
                    callback.call(droppedEvents.getAsLong(), "events");
                })
                .register(registry);
    }

    /** target_info: the resource attributes that identify this service, as OpenTelemetry's exporter does. */
    public void targetInfo(Map<String, String> resource) {
        String[] names = new String[resource.size()];
        String[] values = new String[resource.size()];
        int i = 0;
        for (Map.Entry<String, String> e : resource.entrySet()) {
            names[i] = e.getKey().replaceAll("[^a-zA-Z0-9_]", "_");
            values[i++] = e.getValue();
        }
        Info info = Info.builder().name("target_info").help("Target metadata").labelNames(names).register(registry);
        info.setLabelValues(values);
    }
}
