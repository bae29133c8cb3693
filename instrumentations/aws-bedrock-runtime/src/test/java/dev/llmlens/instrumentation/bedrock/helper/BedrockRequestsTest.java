package dev.llmlens.instrumentation.bedrock.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.bootstrap.InferenceCall;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;

class BedrockRequestsTest {

    private static final String SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    @Test
    void converseReadsModelInferenceConfigAndTheOverriddenEndpoint() throws Exception {
        ConverseRequest request = ConverseRequest.builder().modelId(SONNET)
                .inferenceConfig(c -> c.maxTokens(256).temperature(0.5f).topP(0.25f).stopSequences("END"))
                .build();
        InferenceCall call = BedrockRequests.toCall(request, Sdk.clientConfiguration(URI.create("http://127.0.0.1:8123"), Region.US_EAST_1));
        assertEquals("aws.bedrock", call.provider);
        assertEquals("chat", call.operation);
        assertEquals(SONNET, call.requestModel);
        assertFalse(call.stream);
        assertEquals(256L, call.maxTokens);
        assertEquals(0.5, call.temperature);
        assertEquals(0.25, call.topP);
        assertEquals(List.of("END"), call.stopSequences);
        assertEquals("127.0.0.1", call.serverAddress);
        assertEquals(8123, call.serverPort);
        assertNull(call.responseId);
    }

    @Test
    void withoutAnOverrideTheServerIsTheRegionsEndpoint() throws Exception {
        InferenceCall call = BedrockRequests.toCall(ConverseStreamRequest.builder().modelId(SONNET).build(),
                Sdk.clientConfiguration(null, Region.EU_WEST_1));
        assertTrue(call.stream);
        assertEquals("bedrock-runtime.eu-west-1.amazonaws.com", call.serverAddress);
        assertEquals(443, call.serverPort);
    }

    @Test
    void converseGuardrailIsReadWhereTheSdkHasIt() throws Exception {
        ConverseRequest.Builder builder = ConverseRequest.builder().modelId(SONNET);
        if (Sdk.newest()) {
            // GuardrailConfiguration is newer than Converse: built by name so this compiles on the oldest SDK
            Class<?> type = Class.forName("software.amazon.awssdk.services.bedrockruntime.model.GuardrailConfiguration");
            Object configBuilder = type.getMethod("builder").invoke(null);
            Class<?> builderType = Class.forName(type.getName() + "$Builder");
            builderType.getMethod("guardrailIdentifier", String.class).invoke(configBuilder, "gr-abc123");
            builderType.getMethod("guardrailVersion", String.class).invoke(configBuilder, "3");
            Object config = builderType.getMethod("build").invoke(configBuilder);
            ConverseRequest.Builder.class.getMethod("guardrailConfig", type).invoke(builder, config);
        }
        InferenceCall call = BedrockRequests.toCall(builder.build(), null);
        assertEquals(Sdk.newest() ? "gr-abc123" : null, call.guardrailId);
        assertEquals(Sdk.newest() ? "3" : null, call.guardrailVersion);
    }

    @Test
    void invokeModelOperationFollowsTheBodyShape() {
        assertEquals("chat", invoke(SONNET, "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":300,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2,\"top_p\":0.9,\"stop_sequences\":[\"x\"]}").operation);
        assertEquals("text_completion", invoke("meta.llama3-3-70b-instruct-v1:0",
                "{\"prompt\":\"hi\",\"max_gen_len\":128,\"temperature\":0.1}").operation);
        assertEquals("text_completion", invoke("amazon.titan-text-express-v1",
                "{\"inputText\":\"hi\",\"textGenerationConfig\":{\"maxTokenCount\":64,\"topP\":0.8}}").operation);
        assertEquals("text_completion", invoke("mistral.mistral-large-2407-v1:0", "{\"prompt\":\"<s>[INST] hi [/INST]\"}").operation);
        assertEquals("chat", invoke("mistral.mistral-large-2407-v1:0", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").operation);
        assertEquals("chat", invoke("cohere.command-r-v1:0", "{\"message\":\"hi\",\"p\":0.7}").operation);
        assertEquals("embeddings", invoke("amazon.titan-embed-text-v2:0", "{\"inputText\":\"hi\",\"dimensions\":256}").operation);
        assertEquals("embeddings", invoke("cohere.embed-english-v3", "{\"texts\":[\"hi\"],\"input_type\":\"search_document\"}").operation);
        assertEquals("chat", invoke("eu.amazon.nova-pro-v1:0", "{\"messages\":[],\"inferenceConfig\":{\"maxTokens\":99}}").operation);
    }

    @Test
    void invokeModelReadsSamplingParametersWhereEachFamilyKeepsThem() {
        InferenceCall anthropic = invoke(SONNET, "{\"max_tokens\":300,\"messages\":[],\"temperature\":0.2,\"top_p\":0.9,\"stop_sequences\":[\"x\"]}");
        assertEquals(300L, anthropic.maxTokens);
        assertEquals(0.2, anthropic.temperature);
        assertEquals(0.9, anthropic.topP);
        assertEquals(List.of("x"), anthropic.stopSequences);
        InferenceCall titan = invoke("amazon.titan-text-express-v1", "{\"inputText\":\"hi\",\"textGenerationConfig\":{\"maxTokenCount\":64,\"topP\":0.8,\"stopSequences\":[\"User:\"]}}");
        assertEquals(64L, titan.maxTokens);
        assertEquals(0.8, titan.topP);
        assertEquals(List.of("User:"), titan.stopSequences);
        assertEquals(128L, invoke("meta.llama3-3-70b-instruct-v1:0", "{\"prompt\":\"hi\",\"max_gen_len\":128}").maxTokens);
        assertEquals(99L, invoke("us.amazon.nova-pro-v1:0", "{\"messages\":[],\"inferenceConfig\":{\"maxTokens\":99}}").maxTokens);
        assertEquals(0.7, invoke("cohere.command-r-v1:0", "{\"message\":\"hi\",\"p\":0.7}").topP);
        assertEquals(256L, invoke("amazon.titan-embed-text-v2:0", "{\"inputText\":\"hi\",\"dimensions\":256}").embeddingsDimension);
    }

    @Test
    void invokeModelGuardrailAndStreamFlag() {
        InferenceCall call = BedrockRequests.toCall(InvokeModelWithResponseStreamRequest.builder().modelId(SONNET)
                .guardrailIdentifier("gr-1").guardrailVersion("DRAFT").body(SdkBytes.fromUtf8String("{\"messages\":[]}")).build(), null);
        assertTrue(call.stream);
        assertEquals("gr-1", call.guardrailId);
        assertEquals("DRAFT", call.guardrailVersion);
    }

    @Test
    void aBodyThatIsNotJsonStillMakesACall() {
        InferenceCall call = invoke("meta.llama3-3-70b-instruct-v1:0", "not json");
        assertEquals("chat", call.operation);
        assertEquals("meta.llama3-3-70b-instruct-v1:0", call.requestModel);
    }

    @Test
    void modelFamiliesAcceptProfilesAndArns() {
        assertEquals(ModelFamily.ANTHROPIC, ModelFamily.of("global.anthropic.claude-haiku-4-5-20251001-v1:0"));
        assertEquals(ModelFamily.ANTHROPIC, ModelFamily.of("arn:aws:bedrock:us-east-1:1:inference-profile/apac.anthropic.claude-3-5-haiku-20241022-v1:0"));
        assertEquals(ModelFamily.NOVA, ModelFamily.of("us-gov.amazon.nova-pro-v1:0"));
        assertEquals(ModelFamily.TITAN_TEXT, ModelFamily.of("amazon.titan-text-premier-v1:0"));
        assertEquals(ModelFamily.TITAN_EMBED, ModelFamily.of("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"));
        assertEquals(ModelFamily.LLAMA, ModelFamily.of("us.meta.llama4-scout-17b-instruct-v1:0"));
        assertEquals(ModelFamily.COHERE_EMBED, ModelFamily.of("cohere.embed-multilingual-v3"));
        assertEquals(ModelFamily.COHERE_COMMAND, ModelFamily.of("cohere.command-r-plus-v1:0"));
        assertEquals(ModelFamily.MISTRAL, ModelFamily.of("eu.mistral.pixtral-large-2502-v1:0"));
        assertEquals(ModelFamily.OTHER, ModelFamily.of("arn:aws:bedrock:us-east-1:1:application-inference-profile/a1b2c3"));
    }

    private static InferenceCall invoke(String model, String body) {
        return BedrockRequests.toCall(InvokeModelRequest.builder().modelId(model).body(SdkBytes.fromUtf8String(body)).build(), null);
    }
}
