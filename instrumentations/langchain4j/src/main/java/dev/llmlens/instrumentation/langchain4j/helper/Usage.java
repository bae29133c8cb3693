package dev.llmlens.instrumentation.langchain4j.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.langchain4j.model.output.TokenUsage;

/**
 * Token counts from langchain4j's {@code TokenUsage}, and the provider detail its subclasses carry
 * (read by name: the provider module may be absent).
 */
final class Usage {

    private static final String OPENAI_USAGE = "dev.langchain4j.model.openai.OpenAiTokenUsage";
    private static final String ANTHROPIC_USAGE = "dev.langchain4j.model.anthropic.AnthropicTokenUsage";

    private Usage() {}

    static void read(TokenUsage usage, InferenceCall call) {
        if (usage == null) {
            return;
        }
        call.inputTokens = count(usage.inputTokenCount());
        call.outputTokens = count(usage.outputTokenCount());
        String type = usage.getClass().getName();
        if (OPENAI_USAGE.equals(type)) {
            call.cacheReadTokens = count(Reflection.call(Reflection.call(usage, "inputTokensDetails"), "cachedTokens"));
            call.reasoningTokens = count(Reflection.call(Reflection.call(usage, "outputTokensDetails"), "reasoningTokens"));
        } else if (ANTHROPIC_USAGE.equals(type)) {
            call.cacheReadTokens = count(Reflection.call(usage, "cacheReadInputTokens"));
            call.cacheWriteTokens = count(Reflection.call(usage, "cacheCreationInputTokens"));
            // Anthropic's input_tokens leave out the cached part; ours include it (README "Token semantics")
            if (call.inputTokens >= 0) {
                call.inputTokens += Math.max(call.cacheReadTokens, 0) + Math.max(call.cacheWriteTokens, 0);
            }
        }
    }

    private static long count(Object value) {
        return value instanceof Number number ? number.longValue() : -1;
    }
}
