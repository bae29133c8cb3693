package dev.llmlens.instrumentation.googlegenai.helper;

import com.google.genai.ApiClient;
import com.google.genai.types.AutomaticFunctionCallingConfig;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Tool;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Reads a google-genai request (model, config, client) through the SDK's typed getters. */
public final class GenAiRequests {

    static final String GEMINI = "gcp.gemini";
    static final String VERTEX_AI = "gcp.vertex_ai";
    static final String GENERATE_CONTENT = "generate_content";
    static final String EMBEDDINGS = "embeddings";

    /** One client usually talks to one host: remember the last parse instead of re-parsing per call. */
    private static volatile Endpoint lastEndpoint = new Endpoint("", null, -1);

    private GenAiRequests() {}

    /**
     * @param method the hooked private* method's name, which tells the operation
     * @param args its arguments: the model first, the config last (the embedding overloads differ in between)
     * @return the call, or null for a method this module does not know
     */
    static InferenceCall toCall(ApiClient client, String method, Object[] args) {
        InferenceCall call;
        Object config = args.length == 0 ? null : args[args.length - 1];
        if (method.startsWith("privateGenerateContent")) {
            call = new InferenceCall(GoogleGenAiHooks.MODULE, GEMINI, GENERATE_CONTENT);
            call.stream = method.equals("privateGenerateContentStream");
            if (config instanceof GenerateContentConfig generate) {
                GenAiResponses.guarded(() -> readConfig(generate, call));
                readEndpoint(client, generate.httpOptions(), call);
            } else {
                readEndpoint(client, Optional.empty(), call);
            }
            if (LlmLens.capturesContent() && args.length == 3) {
                GenAiContent.readRequest(call, args[1], config instanceof GenerateContentConfig generate ? generate : null);
            }
        } else if (method.equals("privateEmbedContent")) {
            call = new InferenceCall(GoogleGenAiHooks.MODULE, GEMINI, EMBEDDINGS);
            if (config instanceof EmbedContentConfig embed) {
                call.embeddingsDimension = embed.outputDimensionality().map(Integer::longValue).orElse(null);
                readEndpoint(client, embed.httpOptions(), call);
            } else {
                readEndpoint(client, Optional.empty(), call);
            }
        } else {
            return null;
        }
        call.requestModel = args.length > 0 && args[0] instanceof String model ? model : null;
        if (client != null && client.vertexAI()) {
            call.provider = VERTEX_AI;
        }
        return call;
    }

    private static void readConfig(GenerateContentConfig config, InferenceCall call) {
        call.maxTokens = config.maxOutputTokens().map(Integer::longValue).orElse(null);
        call.temperature = config.temperature().map(Float::doubleValue).orElse(null);
        call.topP = config.topP().map(Float::doubleValue).orElse(null);
        call.topK = config.topK().map(Float::doubleValue).orElse(null);
        call.frequencyPenalty = config.frequencyPenalty().map(Float::doubleValue).orElse(null);
        call.presencePenalty = config.presencePenalty().map(Float::doubleValue).orElse(null);
        call.seed = config.seed().map(Integer::longValue).orElse(null);
        call.choiceCount = config.candidateCount().filter(n -> n != 1).map(Integer::longValue).orElse(null);
        call.stopSequences = config.stopSequences().filter(stops -> !stops.isEmpty()).orElse(null);
        config.thinkingConfig().flatMap(thinking -> thinking.thinkingLevel())
                .ifPresent(level -> call.reasoningLevel = level.toString());
        config.responseMimeType().ifPresent(mime -> call.outputType = outputType(mime));
    }

    static String outputType(String mimeType) {
        if (mimeType.startsWith("application/json")) {
            return "json";
        }
        return mimeType.startsWith("text/") ? "text" : null;
    }

    /**
     * The SDK runs its tool loop only when the request hands it Java methods and the app did not turn
     * the loop off (disable=true, or at most 0 remote calls), as AfcUtil#shouldDisableAfc decides.
     */
    static boolean runsToolLoop(GenerateContentConfig config) {
        if (config == null || !declaresMethods(config.tools())) {
            return false;
        }
        Optional<AutomaticFunctionCallingConfig> afc = config.automaticFunctionCalling();
        if (afc.isEmpty()) {
            return true;
        }
        boolean disabled = afc.get().disable().orElse(false);
        boolean noCalls = afc.get().maximumRemoteCalls().map(max -> max <= 0).orElse(false);
        return !disabled && !noCalls;
    }

    private static boolean declaresMethods(Optional<List<Tool>> tools) {
        if (tools.isEmpty()) {
            return false;
        }
        for (Tool tool : tools.get()) {
            Optional<List<Method>> functions = tool.functions();
            if (functions.isPresent() && !functions.get().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** A base URL in the request's own HTTP options wins over the client's, as in the SDK. */
    private static void readEndpoint(ApiClient client, Optional<HttpOptions> requestOptions, InferenceCall call) {
        String baseUrl = requestOptions.flatMap(HttpOptions::baseUrl)
                .orElseGet(() -> client == null ? null : client.httpOptions().baseUrl().orElse(null));
        if (baseUrl == null) {
            return;
        }
        Endpoint endpoint = lastEndpoint;
        if (!endpoint.baseUrl.equals(baseUrl)) {
            endpoint = Endpoint.parse(baseUrl);
            lastEndpoint = endpoint;
        }
        call.serverAddress = endpoint.host;
        call.serverPort = endpoint.port;
    }

    private record Endpoint(String baseUrl, String host, int port) {
        static Endpoint parse(String baseUrl) {
            try {
                URI uri = URI.create(baseUrl);
                int port = uri.getPort() != -1 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
                return new Endpoint(baseUrl, uri.getHost(), port);
            } catch (RuntimeException e) {
                return new Endpoint(baseUrl, null, -1);
            }
        }
    }
}
