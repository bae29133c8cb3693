package dev.llmlens.instrumentation.anthropic.helper;

import com.anthropic.core.ClientOptions;
import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.MessageCreateParams;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Messages request (plain or beta) through the SDK's typed getters into the neutral call
 * model. {@code top_k} is not mapped: the call model has no field for it.
 */
final class AnthropicRequests {

    static final String PROVIDER = "anthropic";
    static final String CHAT = "chat";

    /*
     * temperature, top_p and top_k: 2.x has typed getters, 3.x dropped them (an app sends them as extra body
     * properties). A typed reference would fail the module's reference check on 3.x, so the 2.x
     * getters are looked up once by name; null on 3.x.
     */
    private static final Method TEMPERATURE = getter(MessageCreateParams.class, "temperature");
    private static final Method TOP_P = getter(MessageCreateParams.class, "topP");
    private static final Method TOP_K = getter(MessageCreateParams.class, "topK");
    private static final Method BETA_TEMPERATURE =
            getter(com.anthropic.models.beta.messages.MessageCreateParams.class, "temperature");
    private static final Method BETA_TOP_P = getter(com.anthropic.models.beta.messages.MessageCreateParams.class, "topP");
    private static final Method BETA_TOP_K = getter(com.anthropic.models.beta.messages.MessageCreateParams.class, "topK");

    private AnthropicRequests() {}

    /** @return the call to record, or null for a request type this module does not know. */
    static InferenceCall toCall(Object params, ClientOptions options, boolean streaming) {
        InferenceCall call = new InferenceCall(AnthropicHooks.MODULE, PROVIDER, CHAT);
        if (params instanceof MessageCreateParams p) {
            call.requestModel = p.model().asString();
            // each optional parameter on its own: one the SDK cannot read costs only itself
            AnthropicResponses.guarded(() -> call.maxTokens = p.maxTokens());
            AnthropicResponses.guarded(() -> readSampling(call, p, p._additionalBodyProperties(), TEMPERATURE, TOP_P,
                    TOP_K, p.stopSequences()));
            AnthropicResponses.guarded(() -> p.outputConfig().ifPresent(config -> {
                call.reasoningLevel = text(config.effort());
                config.format().ifPresent(format -> call.outputType = "json");
            }));
            if (LlmLens.capturesContent()) {
                AnthropicContent.readRequest(call, p.system(), p.messages(), p.tools());
            }
        } else if (params instanceof com.anthropic.models.beta.messages.MessageCreateParams p) {
            call.requestModel = p.model().asString();
            AnthropicResponses.guarded(() -> call.maxTokens = p.maxTokens());
            AnthropicResponses.guarded(() -> readSampling(call, p, p._additionalBodyProperties(), BETA_TEMPERATURE,
                    BETA_TOP_P, BETA_TOP_K, p.stopSequences()));
            AnthropicResponses.guarded(() -> p.outputConfig().ifPresent(config -> {
                call.reasoningLevel = text(config.effort());
                config.format().ifPresent(format -> call.outputType = "json");
            }));
            // the beta API's older way to ask for structured output
            AnthropicResponses.guarded(() -> p.outputFormat().ifPresent(format -> call.outputType = "json"));
            if (LlmLens.capturesContent()) {
                AnthropicContent.readRequest(call, p.system(), p.messages(), p.tools());
            }
        } else {
            return null;
        }
        call.stream = streaming;
        if (options != null) {
            Endpoint endpoint = Endpoint.of(options);
            call.serverAddress = endpoint.host;
            call.serverPort = endpoint.port;
            call.provider = providerAt(endpoint.host);
            call.tracedBySdk = SdkTracing.tracesItself(options);
        }
        return call;
    }

    private static void readSampling(InferenceCall call, Object params, Map<String, JsonValue> extraBody,
                                     Method typedTemperature, Method typedTopP, Method typedTopK,
                                     Optional<java.util.List<String>> stopSequences) {
        call.temperature = number(params, extraBody, "temperature", typedTemperature);
        call.topP = number(params, extraBody, "top_p", typedTopP);
        call.topK = number(params, extraBody, "top_k", typedTopK);
        call.stopSequences = stopSequences.filter(list -> !list.isEmpty()).orElse(null);
    }

    /** The value the request sends: an extra body property overrides the typed field, as on the wire. */
    private static Double number(Object params, Map<String, JsonValue> extraBody, String key, Method typed) {
        JsonValue extra = extraBody.get(key);
        if (extra != null) {
            Optional<Number> number = extra.asNumber();
            return number.map(Number::doubleValue).orElse(null);
        }
        if (typed == null) {
            return null;
        }
        try {
            return ((Optional<?>) typed.invoke(params)).map(value -> ((Number) value).doubleValue()).orElse(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method getter(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            return method.getReturnType() == Optional.class ? method : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * The SDK's Bedrock and Vertex backends send the same Messages requests to the cloud's endpoint,
     * which bills them under its own model ids and prices.
     */
    static String providerAt(String host) {
        if (host == null) {
            return PROVIDER;
        }
        if (host.startsWith("bedrock-runtime.") && host.endsWith(".amazonaws.com")) {
            return "aws.bedrock";
        }
        return host.endsWith("aiplatform.googleapis.com") ? "gcp.vertex_ai" : PROVIDER;
    }

    /** Stainless enums print their wire value. */
    static String text(Optional<?> value) {
        return value.map(Object::toString).orElse(null);
    }
}
