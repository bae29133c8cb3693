package dev.llmlens.instrumentation.openai.helper;

import com.openai.core.ClientOptions;
import com.openai.models.ResponsesModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads an openai-java request through the SDK's typed getters into the neutral call model. */
public final class OpenAiRequests {

    static final String CHAT_COMPLETIONS = "chat_completions";
    static final String RESPONSES = "responses";

    /** One client usually talks to one host: remember the last parse instead of re-parsing per call. */
    private static volatile Endpoint lastEndpoint = new Endpoint("", null, -1);

    private OpenAiRequests() {}

    /** @return the call to record, or null for a request type this module does not know. */
    public static InferenceCall toCall(Object params, ClientOptions options, boolean streaming) {
        InferenceCall call;
        if (params instanceof ChatCompletionCreateParams chat) {
            call = new InferenceCall(OpenAiHooks.MODULE, "openai", "chat");
            call.apiType = CHAT_COMPLETIONS;
            call.requestModel = chat.model().asString();
            // an optional parameter the SDK cannot read (set as raw JSON of another type) costs only itself
            OpenAiResponses.guarded(() -> readChat(chat, call));
            if (LlmLens.capturesContent()) {
                call.inputMessages = new ArrayList<>(); // also marks the call for its response side
                OpenAiResponses.guarded(() -> OpenAiContent.chatRequest(chat, call));
            }
        } else if (params instanceof ResponseCreateParams responses) {
            call = new InferenceCall(OpenAiHooks.MODULE, "openai", "chat");
            call.apiType = RESPONSES;
            call.requestModel = responses.model().map(OpenAiRequests::modelName).orElse(null);
            OpenAiResponses.guarded(() -> readResponses(responses, call));
            if (LlmLens.capturesContent()) {
                call.inputMessages = new ArrayList<>();
                OpenAiResponses.guarded(() -> OpenAiContent.responsesRequest(responses, call));
            }
        } else if (params instanceof EmbeddingCreateParams embeddings) {
            call = new InferenceCall(OpenAiHooks.MODULE, "openai", "embeddings");
            call.requestModel = embeddings.model().asString();
            call.embeddingsDimension = embeddings.dimensions().orElse(null);
            embeddings.encodingFormat().ifPresent(format -> call.encodingFormats = List.of(format.toString()));
        } else {
            return null;
        }
        call.stream = streaming;
        readEndpoint(options, call);
        return call;
    }

    static String modelName(ResponsesModel model) {
        if (model.isString()) {
            return model.asString();
        }
        if (model.isChat()) {
            return model.asChat().asString();
        }
        return model.isOnly() ? model.asOnly().asString() : null;
    }

    private static void readChat(ChatCompletionCreateParams p, InferenceCall call) {
        call.maxTokens = p.maxCompletionTokens().or(p::maxTokens).orElse(null);
        call.temperature = p.temperature().orElse(null);
        call.topP = p.topP().orElse(null);
        call.frequencyPenalty = p.frequencyPenalty().orElse(null);
        call.presencePenalty = p.presencePenalty().orElse(null);
        call.seed = p.seed().orElse(null);
        call.choiceCount = p.n().filter(n -> n != 1).orElse(null);
        call.reasoningLevel = text(p.reasoningEffort());
        call.requestServiceTier = text(p.serviceTier());
        p.stop().ifPresent(stop -> call.stopSequences = stop.isString() ? List.of(stop.asString()) : stop.asStrings());
        p.responseFormat().ifPresent(format -> call.outputType = format.isText() ? "text" : "json");
    }

    private static void readResponses(ResponseCreateParams p, InferenceCall call) {
        call.maxTokens = p.maxOutputTokens().orElse(null);
        call.temperature = p.temperature().orElse(null);
        call.topP = p.topP().orElse(null);
        call.previousResponseId = p.previousResponseId().orElse(null);
        call.requestServiceTier = text(p.serviceTier());
        p.reasoning().flatMap(r -> r.effort()).ifPresent(effort -> call.reasoningLevel = effort.toString());
        p.text().flatMap(t -> t.format()).ifPresent(format -> call.outputType = format.isText() ? "text" : "json");
    }

    /** Stainless enums print their wire value. */
    static String text(Optional<?> value) {
        return value.map(Object::toString).orElse(null);
    }

    private static void readEndpoint(ClientOptions options, InferenceCall call) {
        if (options == null) {
            return;
        }
        String baseUrl = options.baseUrl();
        Endpoint endpoint = lastEndpoint;
        if (!endpoint.baseUrl.equals(baseUrl)) {
            endpoint = Endpoint.parse(baseUrl);
            lastEndpoint = endpoint;
        }
        call.serverAddress = endpoint.host;
        call.serverPort = endpoint.port;
        if (options.azureServiceVersion() != null
                || (endpoint.host != null && endpoint.host.endsWith(".openai.azure.com"))) {
            call.provider = "azure.ai.openai";
        }
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
