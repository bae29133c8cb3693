package dev.llmlens.instrumentation.springai.helper;

/** The semconv provider name of a Spring AI model class (the hooked classes are named after their provider). */
final class SpringAiProviders {

    private SpringAiProviders() {}

    static String of(Object model) {
        String name = model == null ? "" : model.getClass().getSimpleName();
        if (name.startsWith("OpenAi")) {
            return "openai";
        }
        if (name.startsWith("Anthropic")) {
            return "anthropic";
        }
        if (name.startsWith("Ollama")) {
            return "ollama";
        }
        return "spring_ai";
    }
}
