package dev.llmlens.instrumentation.springai.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.List;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/** A Spring AI chat request as a framework-level model call. */
final class ChatRequests {

    private ChatRequests() {}

    static InferenceCall toCall(Object model, Object prompt, boolean stream) {
        InferenceCall call = new InferenceCall(SpringAiHooks.MODULE, SpringAiProviders.of(model), "chat");
        call.frameworkLevel = true;
        call.stream = stream;
        ChatOptions options = prompt instanceof Prompt p ? p.getOptions() : null;
        ChatOptions defaults = model instanceof ChatModel chatModel ? defaultsOf(chatModel) : null;
        call.requestModel = first(options == null ? null : options.getModel(), defaults == null ? null : defaults.getModel());
        ChatOptions request = options != null ? options : defaults;
        if (request != null) {
            Integer maxTokens = request.getMaxTokens();
            call.maxTokens = maxTokens == null ? null : maxTokens.longValue();
            call.temperature = request.getTemperature();
            call.topP = request.getTopP();
            Integer topK = request.getTopK();
            call.topK = topK == null ? null : topK.doubleValue();
            call.frequencyPenalty = request.getFrequencyPenalty();
            call.presencePenalty = request.getPresencePenalty();
            List<String> stop = request.getStopSequences();
            call.stopSequences = stop == null || stop.isEmpty() ? null : List.copyOf(stop);
        }
        if (LlmLens.capturesContent() && prompt instanceof Prompt p) {
            ChatContent.readPrompt(p, call);
        }
        return call;
    }

    /** The model's own defaults, for a stream whose prompt is not merged with them yet. */
    private static ChatOptions defaultsOf(ChatModel model) {
        try {
            return model.getDefaultOptions();
        } catch (RuntimeException e) {
            return null; // an implementation that does not support it
        }
    }

    private static String first(String preferred, String fallback) {
        return preferred != null && !preferred.isEmpty() ? preferred : fallback;
    }
}
