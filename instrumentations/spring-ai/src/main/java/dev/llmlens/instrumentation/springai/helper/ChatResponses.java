package dev.llmlens.instrumentation.springai.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.Locale;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/** What a ChatResponse says about the round trip that produced it. */
final class ChatResponses {

    private ChatResponses() {}

    /**
     * Spring AI 1.1 adds each round's usage to the previous round's (UsageCalculator#getCumulativeUsage),
     * so this round's own tokens are the difference to {@code previousUsage}.
     */
    static void read(InferenceCall call, ChatResponse response, Usage previousUsage) {
        ChatResponseMetadata metadata = response.getMetadata();
        if (metadata != null) {
            call.responseId = nonEmpty(metadata.getId());
            call.responseModel = nonEmpty(metadata.getModel());
            Usage usage = metadata.getUsage();
            call.inputTokens = tokens(usage == null ? null : usage.getPromptTokens(),
                    previousUsage == null ? null : previousUsage.getPromptTokens());
            call.outputTokens = tokens(usage == null ? null : usage.getCompletionTokens(),
                    previousUsage == null ? null : previousUsage.getCompletionTokens());
        }
        readFinishReasons(call, response);
        if (LlmLens.capturesContent()) {
            ChatContent.readResponse(response, call);
        }
    }

    /** A stream's chunk: ids and model may come with any chunk; usage, when sent, with the last. */
    static void readChunk(InferenceCall call, ChatResponse chunk) {
        ChatResponseMetadata metadata = chunk.getMetadata();
        if (metadata != null) {
            if (call.responseId == null) {
                call.responseId = nonEmpty(metadata.getId());
            }
            if (call.responseModel == null) {
                call.responseModel = nonEmpty(metadata.getModel());
            }
            Usage usage = metadata.getUsage();
            Integer input = usage == null ? null : usage.getPromptTokens();
            Integer output = usage == null ? null : usage.getCompletionTokens();
            // chunks without usage carry an empty one (zeros): they must not overwrite the real count
            if (input != null && output != null && (input > 0 || output > 0)) {
                call.inputTokens = input;
                call.outputTokens = output;
            }
        }
        readFinishReasons(call, chunk);
        if (LlmLens.capturesContent()) {
            ChatContent.readChunk(chunk, call);
        }
    }

    static Usage usageOf(Object response) {
        if (response instanceof ChatResponse chatResponse && chatResponse.getMetadata() != null) {
            return chatResponse.getMetadata().getUsage();
        }
        return null;
    }

    private static void readFinishReasons(InferenceCall call, ChatResponse response) {
        if (response.getResults() == null) {
            return;
        }
        for (Generation generation : response.getResults()) {
            ChatGenerationMetadata metadata = generation == null ? null : generation.getMetadata();
            String reason = metadata == null ? null : nonEmpty(metadata.getFinishReason());
            if (reason != null) {
                // Spring AI passes the provider's enum names through (STOP, TOOL_CALLS); semconv uses lower case
                call.addFinishReason(reason.toLowerCase(Locale.ROOT));
            }
        }
    }

    private static long tokens(Integer total, Integer before) {
        if (total == null) {
            return -1;
        }
        long own = total - (before == null ? 0 : before);
        return own >= 0 ? own : -1;
    }

    private static String nonEmpty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
