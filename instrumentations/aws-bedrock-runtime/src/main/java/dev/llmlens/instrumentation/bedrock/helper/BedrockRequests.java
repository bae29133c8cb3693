package dev.llmlens.instrumentation.bedrock.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.client.config.SdkClientConfiguration;
import software.amazon.awssdk.core.client.config.SdkClientOption;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;

/** Reads a Bedrock Runtime request through the SDK's getters (and, for InvokeModel, its JSON body). */
public final class BedrockRequests {

    static final String PROVIDER = "aws.bedrock";
    /** Nested objects where model families keep their sampling parameters (Nova, Titan). */
    private static final String[] PARAMETER_OBJECTS = {"inferenceConfig", "textGenerationConfig"};

    /** One client usually talks to one endpoint: remember the last parse instead of re-parsing per call. */
    private static volatile Endpoint lastEndpoint = new Endpoint(null, null, -1);

    private BedrockRequests() {}

    /** @return the call to record, or null for a request this module does not know. */
    public static InferenceCall toCall(Object request, SdkClientConfiguration config) {
        InferenceCall call;
        if (request instanceof ConverseRequest converse) {
            call = new InferenceCall(BedrockHooks.MODULE, PROVIDER, "chat");
            call.requestModel = converse.modelId();
            BedrockResponses.guarded(() -> readInferenceConfig(converse.inferenceConfig(), call));
            BedrockResponses.guarded(() -> readGuardrailConfig(converse, call));
            if (LlmLens.capturesContent()) {
                ConverseContent.readRequest(call, converse.system(), converse.messages(), converse.toolConfig());
            }
        } else if (request instanceof ConverseStreamRequest converse) {
            call = new InferenceCall(BedrockHooks.MODULE, PROVIDER, "chat");
            call.requestModel = converse.modelId();
            call.stream = true;
            BedrockResponses.guarded(() -> readInferenceConfig(converse.inferenceConfig(), call));
            BedrockResponses.guarded(() -> readGuardrailConfig(converse, call));
            if (LlmLens.capturesContent()) {
                ConverseContent.readRequest(call, converse.system(), converse.messages(), converse.toolConfig());
            }
        } else if (request instanceof InvokeModelRequest invoke) {
            call = invokeCall(invoke.modelId(), invoke.body());
            call.guardrailId = invoke.guardrailIdentifier();
            call.guardrailVersion = invoke.guardrailVersion();
        } else if (request instanceof InvokeModelWithResponseStreamRequest invoke) {
            call = invokeCall(invoke.modelId(), invoke.body());
            call.stream = true;
            call.guardrailId = invoke.guardrailIdentifier();
            call.guardrailVersion = invoke.guardrailVersion();
        } else {
            return null;
        }
        readEndpoint(config, call);
        return call;
    }

    /**
     * Embedding models are known by id; otherwise a body with {@code messages} (Anthropic, Nova,
     * Mistral chat, Cohere's {@code message}) is a chat, and a bare prompt (Titan text, Llama,
     * Mistral's prompt API) a text completion, as the GenAI conventions tell the two apart.
     */
    private static InferenceCall invokeCall(String modelId, SdkBytes body) {
        ModelFamily family = ModelFamily.of(modelId);
        InferenceCall call = new InferenceCall(BedrockHooks.MODULE, PROVIDER, family.isEmbedding() ? "embeddings" : "chat");
        call.requestModel = modelId;
        try {
            JsonNode json = body == null ? null : Json.parse(body.asByteArrayUnsafe());
            if (json != null) {
                if (!family.isEmbedding() && !Json.has(json, "messages") && !Json.has(json, "message")
                        && (Json.has(json, "prompt") || Json.has(json, "inputText"))) {
                    call.operation = "text_completion";
                }
                readBodyParameters(json, call);
                if (LlmLens.capturesContent()) {
                    BedrockResponses.guarded(() -> InvokeContent.readRequest(call, json));
                }
            }
        } catch (RuntimeException e) {
            // a body that is not JSON (or not ours to understand) still makes a call, with less detail
            BedrockResponses.failed(e);
        }
        return call;
    }

    private static void readInferenceConfig(InferenceConfiguration config, InferenceCall call) {
        if (config == null) {
            return;
        }
        call.maxTokens = config.maxTokens() == null ? null : config.maxTokens().longValue();
        call.temperature = decimal(config.temperature());
        call.topP = decimal(config.topP());
        if (config.hasStopSequences() && !config.stopSequences().isEmpty()) {
            call.stopSequences = List.copyOf(config.stopSequences());
        }
    }

    /** The value the app wrote (0.3f is 0.3, not 0.30000001192092896). */
    private static Double decimal(Float value) {
        return value == null ? null : Double.valueOf(value.toString());
    }

    /**
     * Converse requests gained {@code guardrailConfig} after the first Converse release, so it is read
     * by member name through the SDK's generic field access: the same helper runs on both.
     */
    private static void readGuardrailConfig(SdkPojo request, InferenceCall call) {
        Object guardrail = fieldValue(request, "guardrailConfig");
        if (guardrail instanceof SdkPojo config) {
            call.guardrailId = stringField(config, "guardrailIdentifier");
            call.guardrailVersion = stringField(config, "guardrailVersion");
        }
    }

    static Object fieldValue(SdkPojo pojo, String memberName) {
        for (SdkField<?> field : pojo.sdkFields()) {
            if (memberName.equals(field.memberName())) {
                return field.getValueOrDefault(pojo);
            }
        }
        return null;
    }

    private static String stringField(SdkPojo pojo, String memberName) {
        return fieldValue(pojo, memberName) instanceof String value ? value : null;
    }

    /** The sampling parameters under the names the model families use, at the root or in their config object. */
    private static void readBodyParameters(JsonNode body, InferenceCall call) {
        List<JsonNode> places = new ArrayList<>();
        places.add(body);
        for (String object : PARAMETER_OBJECTS) {
            JsonNode nested = Json.at(body, object);
            if (nested != null && nested.isObject()) {
                places.add(nested);
            }
        }
        for (JsonNode place : places) {
            call.maxTokens = first(call.maxTokens, place, "max_tokens", "maxTokens", "max_gen_len", "max_new_tokens", "maxTokenCount");
            if (call.temperature == null) {
                call.temperature = Json.decimal(place, "temperature");
            }
            if (call.topP == null) {
                call.topP = Json.decimal(place, "top_p") != null ? Json.decimal(place, "top_p")
                        : Json.decimal(place, "topP") != null ? Json.decimal(place, "topP") : Json.decimal(place, "p");
            }
            if (call.stopSequences == null) {
                call.stopSequences = strings(place, "stop_sequences", "stopSequences", "stop");
            }
            if (call.embeddingsDimension == null) {
                call.embeddingsDimension = Json.number(place, "dimensions");
            }
        }
    }

    private static Long first(Long known, JsonNode node, String... names) {
        for (int i = 0; known == null && i < names.length; i++) {
            known = Json.number(node, names[i]);
        }
        return known;
    }

    private static List<String> strings(JsonNode node, String... names) {
        for (String name : names) {
            List<JsonNode> values = Json.array(node, name);
            if (!values.isEmpty()) {
                List<String> strings = new ArrayList<>();
                values.forEach(v -> {
                    if (v.isString()) {
                        strings.add(v.asString());
                    }
                });
                return strings.isEmpty() ? null : List.copyOf(strings);
            }
        }
        return null;
    }

    private static void readEndpoint(SdkClientConfiguration config, InferenceCall call) {
        if (config == null) {
            return;
        }
        // the endpoint override, or the region's endpoint the builder resolved; newer SDKs answer this
        // option from their CLIENT_ENDPOINT_PROVIDER, so one lookup serves the whole version range
        URI uri = config.option(SdkClientOption.ENDPOINT);
        Endpoint endpoint = lastEndpoint;
        if (uri != null && !uri.equals(endpoint.uri)) {
            endpoint = Endpoint.parse(uri);
            lastEndpoint = endpoint;
        }
        if (uri != null) {
            call.serverAddress = endpoint.host;
            call.serverPort = endpoint.port;
        }
    }

    private record Endpoint(URI uri, String host, int port) {
        static Endpoint parse(URI uri) {
            int port = uri.getPort() != -1 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
            return new Endpoint(uri, uri.getHost(), port);
        }
    }
}
