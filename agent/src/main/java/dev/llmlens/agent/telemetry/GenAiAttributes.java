package dev.llmlens.agent.telemetry;

import dev.llmlens.agent.budget.CostBudgets;
import dev.llmlens.agent.redact.Redactor;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.Operation;
import dev.llmlens.bootstrap.ToolCall;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * The one place that knows the GenAI semantic conventions (genai registry, pinned in
 * shared/reference/genai-semconv.md): which attribute of the neutral call model becomes which
 * span attribute, what a span is named, what error.type says. Metrics reuse these decisions.
 */
public final class GenAiAttributes {

    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    public static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
    public static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    public static final AttributeKey<Boolean> REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
    public static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    public static final AttributeKey<Double> TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    public static final AttributeKey<Double> TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
    public static final AttributeKey<Double> TOP_K = AttributeKey.doubleKey("gen_ai.request.top_k");
    public static final AttributeKey<Double> FREQUENCY_PENALTY = AttributeKey.doubleKey("gen_ai.request.frequency_penalty");
    public static final AttributeKey<Double> PRESENCE_PENALTY = AttributeKey.doubleKey("gen_ai.request.presence_penalty");
    public static final AttributeKey<Long> CHOICE_COUNT = AttributeKey.longKey("gen_ai.request.choice.count");
    public static final AttributeKey<Long> SEED = AttributeKey.longKey("gen_ai.request.seed");
    public static final AttributeKey<List<String>> STOP_SEQUENCES = AttributeKey.stringArrayKey("gen_ai.request.stop_sequences");
    public static final AttributeKey<String> REASONING_LEVEL = AttributeKey.stringKey("gen_ai.request.reasoning.level");
    public static final AttributeKey<String> OUTPUT_TYPE = AttributeKey.stringKey("gen_ai.output.type");
    public static final AttributeKey<String> PREVIOUS_RESPONSE_ID = AttributeKey.stringKey("gen_ai.request.previous_response.id");
    public static final AttributeKey<List<String>> ENCODING_FORMATS = AttributeKey.stringArrayKey("gen_ai.request.encoding_formats");
    public static final AttributeKey<Long> EMBEDDINGS_DIMENSION = AttributeKey.longKey("gen_ai.embeddings.dimension.count");
    public static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    public static final AttributeKey<Long> CACHE_WRITE_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_write.input_tokens");
    public static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
    public static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
    /** The name Langfuse and OpenLIT read; semconv PR #443 may define gen_ai.usage.cost.* later. */
    public static final AttributeKey<Double> COST = AttributeKey.doubleKey("gen_ai.usage.cost");
    public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    public static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    public static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    public static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<String> OPENAI_API_TYPE = AttributeKey.stringKey("openai.api.type");
    public static final AttributeKey<String> OPENAI_REQUEST_SERVICE_TIER = AttributeKey.stringKey("openai.request.service_tier");
    public static final AttributeKey<String> OPENAI_RESPONSE_SERVICE_TIER = AttributeKey.stringKey("openai.response.service_tier");
    public static final AttributeKey<String> OPENAI_SYSTEM_FINGERPRINT = AttributeKey.stringKey("openai.response.system_fingerprint");
    public static final AttributeKey<String> AWS_BEDROCK_GUARDRAIL_ID = AttributeKey.stringKey("aws.bedrock.guardrail.id");
    public static final AttributeKey<String> AWS_BEDROCK_GUARDRAIL_VERSION = AttributeKey.stringKey("aws.bedrock.guardrail.version");
    public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    public static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
    public static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
    public static final AttributeKey<String> TOOL_DESCRIPTION = AttributeKey.stringKey("gen_ai.tool.description");
    public static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
    public static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("gen_ai.conversation.id");
    // opt-in content (llmlens.capture-content): JSON text per the semconv schemas, see ContentJson
    public static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    public static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    public static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
    public static final AttributeKey<String> TOOL_DEFINITIONS = AttributeKey.stringKey("gen_ai.tool.definitions");
    public static final AttributeKey<String> TOOL_CALL_ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
    public static final AttributeKey<String> TOOL_CALL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");
    // Model Context Protocol (semconv gen-ai/mcp)
    public static final AttributeKey<String> MCP_METHOD_NAME = AttributeKey.stringKey("mcp.method.name");
    public static final AttributeKey<String> MCP_SESSION_ID = AttributeKey.stringKey("mcp.session.id");
    public static final AttributeKey<String> JSONRPC_REQUEST_ID = AttributeKey.stringKey("jsonrpc.request.id");
    public static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey("code.function.name");
    // run totals: ours, because backends add gen_ai.usage.* up over a trace and would count a run twice
    public static final AttributeKey<Long> RUN_INPUT_TOKENS = AttributeKey.longKey("llmlens.run.input_tokens");
    public static final AttributeKey<Long> RUN_OUTPUT_TOKENS = AttributeKey.longKey("llmlens.run.output_tokens");
    public static final AttributeKey<Double> RUN_COST = AttributeKey.doubleKey("llmlens.run.cost_usd");
    public static final AttributeKey<Long> RUN_MODEL_CALLS = AttributeKey.longKey("llmlens.run.model_calls");
    public static final AttributeKey<Long> RUN_TOOL_CALLS = AttributeKey.longKey("llmlens.run.tool_calls");
    /** Ours: the app closed or abandoned a stream before its end; what was seen is recorded. */
    public static final AttributeKey<Boolean> INCOMPLETE = AttributeKey.booleanKey("llmlens.response.incomplete");

    private GenAiAttributes() {}

    public static final String EXECUTE_TOOL = "execute_tool";
    /** Ours: a run called one tool with the same arguments llmlens.loop.threshold times. */
    public static final String LOOP_DETECTED_EVENT = "llmlens.loop_detected";
    public static final AttributeKey<Long> LOOP_COUNT = AttributeKey.longKey("llmlens.loop.count");

    static io.opentelemetry.api.common.Attributes loopDetected(String toolName, int sameCalls) {
        return io.opentelemetry.api.common.Attributes.of(TOOL_NAME, toolName, LOOP_COUNT, (long) sameCalls);
    }

    /** Ours: a run or trace spent its cost budget (llmlens.budget.*). */
    public static final String BUDGET_EXCEEDED_EVENT = "llmlens.budget_exceeded";
    public static final AttributeKey<String> BUDGET_SCOPE = AttributeKey.stringKey("llmlens.budget.scope");
    public static final AttributeKey<Double> BUDGET_LIMIT = AttributeKey.doubleKey("llmlens.budget.limit_usd");
    public static final AttributeKey<Double> BUDGET_SPENT = AttributeKey.doubleKey("llmlens.budget.spent_usd");
    public static final AttributeKey<String> BUDGET_ACTION = AttributeKey.stringKey("llmlens.budget.action");

    static io.opentelemetry.api.common.Attributes budgetExceeded(CostBudgets.Crossing crossing, String action) {
        return io.opentelemetry.api.common.Attributes.of(BUDGET_SCOPE, crossing.scope().label,
                BUDGET_LIMIT, crossing.limitUsd(), BUDGET_SPENT, crossing.spentUsd(), BUDGET_ACTION, action);
    }

    /** Ours: fault injection (llmlens.chaos.*) failed or delayed this tool execution on purpose. */
    public static final String CHAOS_EVENT = "llmlens.chaos_injected";
    public static final AttributeKey<String> CHAOS_FAULT = AttributeKey.stringKey("llmlens.chaos.fault");
    public static final AttributeKey<Long> CHAOS_LATENCY = AttributeKey.longKey("llmlens.chaos.latency_ms");

    static io.opentelemetry.api.common.Attributes chaosInjected(String fault, long latencyMillis) {
        return latencyMillis > 0
                ? io.opentelemetry.api.common.Attributes.of(CHAOS_FAULT, fault, CHAOS_LATENCY, latencyMillis)
                : io.opentelemetry.api.common.Attributes.of(CHAOS_FAULT, fault);
    }
    public static final String INVOKE_AGENT = "invoke_agent";

    public static String spanName(InferenceCall call) {
        return call.requestModel == null ? call.operation : call.operation + " " + call.requestModel;
    }

    public static String spanName(ToolCall tool) {
        if (tool.mcpMethod != null) {
            return tool.toolName == null ? tool.mcpMethod : tool.mcpMethod + " " + tool.toolName;
        }
        return tool.toolName == null ? EXECUTE_TOOL : EXECUTE_TOOL + " " + tool.toolName;
    }

    public static String spanName(AgentRun run) {
        return run.agentName == null ? INVOKE_AGENT : INVOKE_AGENT + " " + run.agentName;
    }

    /** @param agentName the enclosing run's agent, when the tool runs inside one */
    static void onStart(SpanBuilder span, ToolCall tool, String agentName) {
        span.setAttribute(OPERATION_NAME, EXECUTE_TOOL);
        putIfPresent(span, TOOL_NAME, tool.toolName);
        putIfPresent(span, TOOL_TYPE, tool.toolType);
        putIfPresent(span, TOOL_CALL_ID, tool.toolCallId);
        putIfPresent(span, TOOL_DESCRIPTION, tool.toolDescription);
        putIfPresent(span, AGENT_NAME, agentName);
        putIfPresent(span, MCP_METHOD_NAME, tool.mcpMethod);
        putIfPresent(span, MCP_SESSION_ID, tool.mcpSessionId);
        putIfPresent(span, JSONRPC_REQUEST_ID, tool.jsonRpcRequestId);
    }

    /** An in-process agent (invoke_agent.internal): no provider, no server, no cache usage. */
    static void onStart(SpanBuilder span, AgentRun run) {
        span.setAttribute(OPERATION_NAME, INVOKE_AGENT);
        putIfPresent(span, AGENT_NAME, run.agentName);
        putIfPresent(span, REQUEST_MODEL, run.requestModel);
        putIfPresent(span, CONVERSATION_ID, run.conversationId);
        putIfPresent(span, CODE_FUNCTION, run.agentMethod);
    }

    static void onEnd(Span span, AgentRun run, RunTotals totals) {
        putIfPresent(span, CONVERSATION_ID, run.conversationId);
        span.setAttribute(RUN_MODEL_CALLS, totals.modelCalls());
        span.setAttribute(RUN_TOOL_CALLS, totals.toolCalls());
        if (totals.modelCalls() > 0) {
            span.setAttribute(RUN_INPUT_TOKENS, totals.inputTokens());
            span.setAttribute(RUN_OUTPUT_TOKENS, totals.outputTokens());
        }
        if (totals.pricedCalls() > 0) {
            span.setAttribute(RUN_COST, totals.costUsd());
        }
        onOutcome(span, run);
    }

    /** The attributes a sampler may look at: set at span creation. */
    static void onStart(SpanBuilder span, InferenceCall call) {
        span.setAttribute(OPERATION_NAME, call.operation);
        span.setAttribute(PROVIDER_NAME, call.provider);
        putIfPresent(span, REQUEST_MODEL, call.requestModel);
        if (call.serverAddress != null) {
            span.setAttribute(SERVER_ADDRESS, call.serverAddress);
            if (call.serverPort > 0) {
                span.setAttribute(SERVER_PORT, (long) call.serverPort);
            }
        }
        if (call.stream) {
            span.setAttribute(REQUEST_STREAM, true);
        }
        putIfPresent(span, MAX_TOKENS, call.maxTokens);
        putIfPresent(span, TEMPERATURE, call.temperature);
        putIfPresent(span, TOP_P, call.topP);
        putIfPresent(span, TOP_K, call.topK);
        putIfPresent(span, FREQUENCY_PENALTY, call.frequencyPenalty);
        putIfPresent(span, PRESENCE_PENALTY, call.presencePenalty);
        putIfPresent(span, CHOICE_COUNT, call.choiceCount);
        putIfPresent(span, SEED, call.seed);
        putIfPresent(span, STOP_SEQUENCES, call.stopSequences);
        putIfPresent(span, REASONING_LEVEL, call.reasoningLevel);
        putIfPresent(span, OUTPUT_TYPE, call.outputType);
        putIfPresent(span, PREVIOUS_RESPONSE_ID, call.previousResponseId);
        putIfPresent(span, ENCODING_FORMATS, call.encodingFormats);
        putIfPresent(span, AWS_BEDROCK_GUARDRAIL_ID, call.guardrailId);
        putIfPresent(span, AWS_BEDROCK_GUARDRAIL_VERSION, call.guardrailVersion);
        if (isOpenAi(call)) {
            putIfPresent(span, OPENAI_API_TYPE, call.apiType);
            if (call.requestServiceTier != null && !"auto".equals(call.requestServiceTier)) {
                span.setAttribute(OPENAI_REQUEST_SERVICE_TIER, call.requestServiceTier);
            }
        }
    }

    static void onEnd(Span span, InferenceCall call, Double costUsd) {
        putIfPresent(span, RESPONSE_ID, call.responseId);
        putIfPresent(span, RESPONSE_MODEL, call.responseModel);
        if (!call.finishReasons.isEmpty()) {
            span.setAttribute(FINISH_REASONS, List.copyOf(call.finishReasons));
        }
        putIfPresent(span, EMBEDDINGS_DIMENSION, call.embeddingsDimension);
        putCount(span, INPUT_TOKENS, call.inputTokens);
        putCount(span, OUTPUT_TOKENS, call.outputTokens);
        putCount(span, CACHE_READ_TOKENS, call.cacheReadTokens);
        putCount(span, CACHE_WRITE_TOKENS, call.cacheWriteTokens);
        putCount(span, REASONING_TOKENS, call.reasoningTokens);
        if (call.stream && call.firstChunkNanos > 0) {
            span.setAttribute(TIME_TO_FIRST_CHUNK, timeToFirstChunkSeconds(call));
        }
        putIfPresent(span, COST, costUsd);
        if (isOpenAi(call)) {
            putIfPresent(span, OPENAI_RESPONSE_SERVICE_TIER, call.responseServiceTier);
            putIfPresent(span, OPENAI_SYSTEM_FINGERPRINT, call.systemFingerprint);
        }
        if (call.incomplete) {
            span.setAttribute(INCOMPLETE, true);
        }
        if (call.httpStatus > 0 && errorType(call) != null) {
            span.setAttribute(HTTP_STATUS, (long) call.httpStatus);
        }
        onOutcome(span, call);
    }

    /** The prompt, answer, instructions and tools of a call; only called while content capture is on. */
    static void onContent(Span span, InferenceCall call, ContentJson content) {
        putIfPresent(span, SYSTEM_INSTRUCTIONS, content.systemInstructions(call.systemInstructions));
        putIfPresent(span, INPUT_MESSAGES, content.inputMessages(call.inputMessages));
        putIfPresent(span, TOOL_DEFINITIONS, content.toolDefinitions(call.toolDefinitions));
        putIfPresent(span, OUTPUT_MESSAGES, content.outputMessages(call.outputMessages, fallbackFinishReason(call)));
    }

    /** What the tool was called with and returned; only called while content capture is on. */
    static void onContent(Span span, ToolCall tool, ContentJson content) {
        putIfPresent(span, TOOL_CALL_ARGUMENTS, content.toolPayload(tool.arguments));
        putIfPresent(span, TOOL_CALL_RESULT, content.toolPayload(tool.result));
    }

    /** For a choice whose own finish reason the SDK did not give: the call's, else how the call ended. */
    private static String fallbackFinishReason(InferenceCall call) {
        if (errorType(call) != null) {
            return "error";
        }
        return call.finishReasons.isEmpty() ? "stop" : ContentJson.finishReason(call.finishReasons.get(0));
    }

    /** error.type, ERROR status and the exception event, for any kind of operation. */
    static void onOutcome(Span span, Operation operation) {
        String errorType = errorType(operation);
        if (errorType != null) {
            span.setAttribute(ERROR_TYPE, errorType);
            Redactor redactor = Redactor.active();
            if (operation.error != null) {
                // an SDK's error message may quote the API key it rejected: redacted before it leaves
                StringWriter trace = new StringWriter();
                operation.error.printStackTrace(new PrintWriter(trace));
                AttributesBuilder exception = Attributes.builder()
                        .put(EXCEPTION_TYPE, operation.error.getClass().getName())
                        .put(EXCEPTION_STACKTRACE, redactor.redact(trace.toString()));
                if (operation.error.getMessage() != null) {
                    exception.put(EXCEPTION_MESSAGE, redactor.redact(operation.error.getMessage()));
                }
                span.addEvent("exception", exception.build());
            }
            String message = operation.error == null ? errorType : operation.error.getMessage();
            span.setStatus(StatusCode.ERROR, message == null ? errorType : redactor.redact(message));
        }
    }

    /** The exception's class name (canonical and low-cardinality), or what was reported in-band. */
    public static String errorType(Operation operation) {
        if (operation.error != null) {
            return operation.error.getClass().getName();
        }
        return operation.errorType;
    }

    public static double timeToFirstChunkSeconds(InferenceCall call) {
        return (call.firstChunkNanos - call.startNanos) / 1e9;
    }

    public static double durationSeconds(Operation operation) {
        return (operation.endNanos - operation.startNanos) / 1e9;
    }

    private static boolean isOpenAi(InferenceCall call) {
        return "openai".equals(call.provider) || "azure.ai.openai".equals(call.provider);
    }

    private static <T> void putIfPresent(SpanBuilder span, AttributeKey<T> key, T value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }

    private static <T> void putIfPresent(Span span, AttributeKey<T> key, T value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }

    private static void putCount(Span span, AttributeKey<Long> key, long count) {
        if (count >= 0) {
            span.setAttribute(key, count);
        }
    }
}
