package dev.llmlens.instrumentation.langchain4j.helper;

import dev.llmlens.bootstrap.InferenceCall;
import java.net.URI;
import java.util.Locale;

/** gen_ai.provider.name and server.* for a langchain4j model object. */
final class Providers {

    private static final String MODEL_PACKAGE = "dev.langchain4j.model.";

    private Providers() {}

    /**
     * @param modelProvider the model's {@code ModelProvider}, an enum whose constants grow with each line
     *     (read by name, so a constant absent in the oldest line cannot break linking)
     * @param model the model object, whose package names the provider when the enum says OTHER or is absent
     */
    static String of(Object modelProvider, Object model) {
        String name = modelProvider instanceof Enum<?> constant ? constant.name() : "OTHER";
        switch (name) {
            case "OPEN_AI":
                return "openai";
            case "AZURE_OPEN_AI":
                return "azure.ai.openai";
            case "ANTHROPIC":
                return "anthropic";
            case "AMAZON_BEDROCK":
                return "aws.bedrock";
            case "GOOGLE_AI_GEMINI":
                return "gcp.gemini";
            case "GOOGLE_GENAI":
                return "gcp.gen_ai";
            case "GOOGLE_VERTEX_AI_GEMINI":
            case "GOOGLE_VERTEX_AI_ANTHROPIC":
                return "gcp.vertex_ai";
            case "MICROSOFT_FOUNDRY":
                return "azure.ai.inference";
            case "MISTRAL_AI":
                return "mistral_ai";
            case "WATSONX":
                return "ibm.watsonx.ai";
            case "OTHER":
                return ofPackage(model);
            default:
                // OLLAMA, COHERE, GITHUB_MODELS, VOYAGE_AI, JINA, and whatever later lines add
                return name.toLowerCase(Locale.ROOT);
        }
    }

    /** From the model class's package, e.g. {@code dev.langchain4j.model.ollama} for a model without a provider. */
    static String ofPackage(Object model) {
        String className = model == null ? "" : model.getClass().getName();
        if (!className.startsWith(MODEL_PACKAGE)) {
            return "langchain4j";
        }
        String rest = className.substring(MODEL_PACKAGE.length());
        String module = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        switch (module) {
            case "openai":
            case "openaiofficial":
                return "openai";
            case "azure":
                return "azure.ai.openai";
            case "mistralai":
                return "mistral_ai";
            case "googleai":
                return "gcp.gemini";
            case "vertexai":
                return "gcp.vertex_ai";
            case "bedrock":
                return "aws.bedrock";
            case "watsonx":
                return "ibm.watsonx.ai";
            default:
                return module;
        }
    }

    /**
     * The host the model sends to. The providers with their own HTTP client keep its base URL in
     * {@code client.baseUrl}; it matters beyond the attribute: an OpenAI model pointed at another
     * OpenAI-compatible host is priced as that host's provider.
     */
    static void endpoint(Object model, InferenceCall call) {
        Object baseUrl = Reflection.field(Reflection.field(model, "client"), "baseUrl");
        if (baseUrl instanceof String url) {
            try {
                URI uri = URI.create(url.trim());
                if (uri.getHost() != null) {
                    call.serverAddress = uri.getHost();
                    int port = uri.getPort();
                    call.serverPort = port > 0 ? port : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
                }
            } catch (IllegalArgumentException e) {
                // not a URL we can read: no server attributes
            }
        }
    }
}
