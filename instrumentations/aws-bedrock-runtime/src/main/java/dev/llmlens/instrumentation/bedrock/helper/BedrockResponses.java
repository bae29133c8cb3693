package dev.llmlens.instrumentation.bedrock.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Reads Bedrock responses and errors into the neutral call model. Bedrock has no response id of its
 * own (the request id identifies the HTTP exchange, not the generation), so Converse calls have none.
 */
public final class BedrockResponses {

    static final String INPUT_TOKENS_HEADER = "X-Amzn-Bedrock-Input-Token-Count";
    static final String OUTPUT_TOKENS_HEADER = "X-Amzn-Bedrock-Output-Token-Count";
    static final String CACHE_READ_TOKENS_HEADER = "X-Amzn-Bedrock-Cache-Read-Input-Token-Count";
    static final String CACHE_WRITE_TOKENS_HEADER = "X-Amzn-Bedrock-Cache-Write-Input-Token-Count";

    private BedrockResponses() {}

    static void onResponse(InferenceCall call, Object response) {
        try {
            if (response instanceof ConverseResponse converse) {
                guarded(() -> readUsage(call, converse.usage()));
                guarded(() -> call.addFinishReason(converse.stopReasonAsString()));
                if (LlmLens.capturesContent()) {
                    guarded(() -> ConverseContent.readOutput(call,
                            converse.output() == null ? null : converse.output().message(), converse.stopReasonAsString()));
                }
            } else if (response instanceof InvokeModelResponse invoke) {
                // a body this module cannot read must not cost the call the counts in the headers
                guarded(() -> {
                    JsonNode body = Json.parse(invoke.body().asByteArrayUnsafe());
                    ModelBodies.readResponse(call, body);
                    if (LlmLens.capturesContent()) {
                        guarded(() -> InvokeContent.readResponse(call, body));
                    }
                });
                guarded(() -> readTokenHeaders(call, invoke.sdkHttpResponse()));
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    /**
     * Bedrock's {@code inputTokens} leave out the cached prompt; the conventions count it in:
     * input = inputTokens + cacheRead + cacheWrite. The cache members appeared in later SDK versions,
     * so they are read by member name, which older versions simply do not have.
     */
    static void readUsage(InferenceCall call, TokenUsage usage) {
        if (usage == null) {
            return;
        }
        Integer cacheRead = usage.getValueForField("cacheReadInputTokens", Integer.class).orElse(null);
        Integer cacheWrite = usage.getValueForField("cacheWriteInputTokens", Integer.class).orElse(null);
        setUsage(call, toLong(usage.inputTokens()), toLong(usage.outputTokens()), toLong(cacheRead), toLong(cacheWrite));
    }

    /** Sets the counts a response reported; {@code input} is the provider's count without cache tokens. */
    static void setUsage(InferenceCall call, Long input, Long output, Long cacheRead, Long cacheWrite) {
        if (cacheRead != null) {
            call.cacheReadTokens = cacheRead;
        }
        if (cacheWrite != null) {
            call.cacheWriteTokens = cacheWrite;
        }
        if (input != null) {
            call.inputTokens = input + (cacheRead == null ? 0 : cacheRead) + (cacheWrite == null ? 0 : cacheWrite);
        }
        if (output != null) {
            call.outputTokens = output;
        }
    }

    /**
     * Bedrock reports the counts in response headers for every model, including those whose body has
     * none (Mistral, Cohere embed): the fallback when the body told nothing.
     */
    static void readTokenHeaders(InferenceCall call, SdkHttpResponse http) {
        if (http == null) {
            return;
        }
        Long cacheRead = header(http, CACHE_READ_TOKENS_HEADER);
        Long cacheWrite = header(http, CACHE_WRITE_TOKENS_HEADER);
        setUsage(call,
                call.inputTokens < 0 ? header(http, INPUT_TOKENS_HEADER) : null,
                call.outputTokens < 0 && !"embeddings".equals(call.operation) ? header(http, OUTPUT_TOKENS_HEADER) : null,
                call.cacheReadTokens < 0 && call.inputTokens < 0 ? cacheRead : null,
                call.cacheWriteTokens < 0 && call.inputTokens < 0 ? cacheWrite : null);
    }

    private static Long header(SdkHttpResponse http, String name) {
        String value = http.firstMatchingHeader(name).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static void onError(InferenceCall call, Throwable error) {
        call.error = error;
        if (error instanceof SdkServiceException service) {
            call.httpStatus = service.statusCode();
        }
    }

    static Long toLong(Integer value) {
        return value == null ? null : value.longValue();
    }

    static void guarded(Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    static void failed(Throwable t) {
        LlmLens.instrumentationError(BedrockHooks.MODULE, t);
    }
}
