package dev.llmlens.instrumentation.openai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.core.ClientOptions;
import com.openai.models.ChatModel;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.ResponseFormatText;
import com.openai.models.ResponsesModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseTextConfig;
import dev.llmlens.bootstrap.InferenceCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiRequestsTest {

    private static final ClientOptions OPENAI = Sdk.options("https://api.openai.com/v1").build();

    private static ChatCompletionCreateParams.Builder chat() {
        return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI).addUserMessage("hi");
    }

    private static ResponseCreateParams.Builder responses() {
        return ResponseCreateParams.builder().input("hi");
    }

    @Test
    void chatReadsEveryRequestParameter() {
        ChatCompletionCreateParams params = chat()
                .temperature(0.2).topP(0.9)
                .maxCompletionTokens(300).maxTokens(100)
                .n(3).seed(42).stop("END")
                .frequencyPenalty(0.5).presencePenalty(-0.5)
                .reasoningEffort(ReasoningEffort.LOW)
                .serviceTier(ChatCompletionCreateParams.ServiceTier.FLEX)
                .responseFormat(ResponseFormatJsonSchema.builder()
                        .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("answer").build())
                        .build())
                .build();

        InferenceCall call = OpenAiRequests.toCall(params, OPENAI, false);

        assertEquals("openai-java", call.module);
        assertEquals("openai", call.provider);
        assertEquals("chat", call.operation);
        assertEquals("chat_completions", call.apiType);
        assertEquals("gpt-4o-mini", call.requestModel);
        assertEquals(0.2, call.temperature);
        assertEquals(0.9, call.topP);
        assertEquals(300L, call.maxTokens, "max_completion_tokens wins over the deprecated max_tokens");
        assertEquals(3L, call.choiceCount);
        assertEquals(42L, call.seed);
        assertEquals(List.of("END"), call.stopSequences);
        assertEquals(0.5, call.frequencyPenalty);
        assertEquals(-0.5, call.presencePenalty);
        assertEquals("low", call.reasoningLevel);
        assertEquals("flex", call.requestServiceTier);
        assertEquals("json", call.outputType);
        assertEquals(false, call.stream);
    }

    @Test
    void chatFallsBackToMaxTokensAndLeavesDefaultsUnset() {
        InferenceCall call = OpenAiRequests.toCall(chat().maxTokens(100).n(1).build(), OPENAI, true);

        assertEquals(100L, call.maxTokens);
        assertNull(call.choiceCount, "n=1 is the default and is not reported");
        assertNull(call.temperature);
        assertNull(call.seed);
        assertNull(call.stopSequences);
        assertNull(call.outputType);
        assertNull(call.reasoningLevel);
        assertTrue(call.stream);
    }

    @Test
    void chatStopListAndOtherResponseFormats() {
        InferenceCall list = OpenAiRequests.toCall(
                chat().stop(ChatCompletionCreateParams.Stop.ofStrings(List.of("a", "b"))).build(), OPENAI, false);
        InferenceCall text = OpenAiRequests.toCall(
                chat().responseFormat(ResponseFormatText.builder().build()).build(), OPENAI, false);
        InferenceCall jsonObject = OpenAiRequests.toCall(
                chat().responseFormat(ResponseFormatJsonObject.builder().build()).build(), OPENAI, false);

        assertEquals(List.of("a", "b"), list.stopSequences);
        assertEquals("text", text.outputType);
        assertEquals("json", jsonObject.outputType);
    }

    @Test
    void chatModelGivenAsPlainString() {
        InferenceCall call = OpenAiRequests.toCall(
                ChatCompletionCreateParams.builder().model("llama-3.1-8b-instant").addUserMessage("hi").build(), OPENAI, false);

        assertEquals("llama-3.1-8b-instant", call.requestModel);
    }

    @Test
    void responsesReadsItsParameters() {
        ResponseCreateParams params = responses()
                .model(ChatModel.GPT_4O)
                .maxOutputTokens(500)
                .previousResponseId("resp_prev")
                .reasoning(Reasoning.builder().effort(ReasoningEffort.HIGH).build())
                .temperature(0.3).topP(0.8)
                .serviceTier(ResponseCreateParams.ServiceTier.PRIORITY)
                .text(ResponseTextConfig.builder()
                        .format(ResponseFormatTextJsonSchemaConfig.builder()
                                .name("answer")
                                .schema(ResponseFormatTextJsonSchemaConfig.Schema.builder().build())
                                .build())
                        .build())
                .build();

        InferenceCall call = OpenAiRequests.toCall(params, OPENAI, true);

        assertEquals("chat", call.operation);
        assertEquals("responses", call.apiType);
        assertEquals("gpt-4o", call.requestModel);
        assertEquals(500L, call.maxTokens);
        assertEquals("resp_prev", call.previousResponseId);
        assertEquals("high", call.reasoningLevel);
        assertEquals(0.3, call.temperature);
        assertEquals(0.8, call.topP);
        assertEquals("priority", call.requestServiceTier);
        assertEquals("json", call.outputType);
        assertTrue(call.stream);
    }

    @Test
    void responsesModelAsStringOrResponsesOnlyModelOrAbsent() {
        assertEquals("my-deployment", OpenAiRequests.toCall(responses().model("my-deployment").build(), OPENAI, false).requestModel);
        assertEquals("o1-pro", OpenAiRequests.toCall(
                responses().model(ResponsesModel.ResponsesOnlyModel.O1_PRO).build(), OPENAI, false).requestModel);
        // a request that continues a stored prompt may name no model at all
        InferenceCall none = OpenAiRequests.toCall(responses().build(), OPENAI, false);
        assertNull(none.requestModel);
        assertNull(none.maxTokens);
        assertNull(none.reasoningLevel);
    }

    @Test
    void embeddingsReadModelDimensionsAndEncoding() {
        EmbeddingCreateParams params = EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("hello").dimensions(256)
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                .build();

        InferenceCall call = OpenAiRequests.toCall(params, OPENAI, false);

        assertEquals("embeddings", call.operation);
        assertEquals("text-embedding-3-small", call.requestModel);
        assertEquals(256L, call.embeddingsDimension);
        assertEquals(List.of("float"), call.encodingFormats);
        assertNull(call.apiType);
    }

    @Test
    void unknownParamsAreNotACall() {
        assertNull(OpenAiRequests.toCall(ModerationCreateParams.builder().input("x").build(), OPENAI, false));
        assertNull(OpenAiRequests.toCall("not params", OPENAI, false));
        assertNull(OpenAiRequests.toCall(null, OPENAI, false));
    }

    @Test
    void endpointFromBaseUrlWithExplicitAndDefaultPorts() {
        assertEndpoint("https://api.openai.com/v1", "api.openai.com", 443, "openai");
        assertEndpoint("http://localhost:8080/v1", "localhost", 8080, "openai");
        assertEndpoint("http://mock.internal/v1", "mock.internal", 80, "openai");
        assertEndpoint("https://api.groq.com:8443/openai/v1", "api.groq.com", 8443, "openai");
        // back to a previous URL: the one-entry cache must not serve the last host
        assertEndpoint("https://api.openai.com/v1", "api.openai.com", 443, "openai");
    }

    @Test
    void azureByHostOrByServiceVersion() {
        assertEndpoint("https://my-resource.openai.azure.com/openai", "my-resource.openai.azure.com", 443, "azure.ai.openai");

        ClientOptions gateway = Sdk.options("https://llm-gateway.example.com/openai")
                .azureServiceVersion(AzureOpenAIServiceVersion.latestStableVersion())
                .build();
        InferenceCall call = OpenAiRequests.toCall(chat().build(), gateway, false);
        assertEquals("azure.ai.openai", call.provider);
        assertEquals("llm-gateway.example.com", call.serverAddress);
    }

    @Test
    void noClientOptionsLeavesTheEndpointUnknown() {
        InferenceCall call = OpenAiRequests.toCall(chat().build(), null, false);

        assertNull(call.serverAddress);
        assertEquals(-1, call.serverPort);
        assertEquals("openai", call.provider);
    }

    private static void assertEndpoint(String baseUrl, String host, int port, String provider) {
        InferenceCall call = OpenAiRequests.toCall(chat().build(), Sdk.options(baseUrl).build(), false);
        assertEquals(host, call.serverAddress, baseUrl);
        assertEquals(port, call.serverPort, baseUrl);
        assertEquals(provider, call.provider, baseUrl);
    }
}
