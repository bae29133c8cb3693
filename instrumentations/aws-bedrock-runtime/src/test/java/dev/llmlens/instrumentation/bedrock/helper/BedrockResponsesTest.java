package dev.llmlens.instrumentation.bedrock.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

class BedrockResponsesTest {

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    @Test
    void converseUsageCountsCacheTokensIntoInputWhereTheSdkHasThem() throws Exception {
        InferenceCall call = call("chat");
        BedrockResponses.onResponse(call, ConverseResponse.builder().stopReason("end_turn")
                .usage(Sdk.usageWithCache(25, 17, 100, 40)).build());
        assertEquals(List.of("end_turn"), call.finishReasons);
        assertEquals(17, call.outputTokens);
        if (Sdk.newest()) {
            assertEquals(165, call.inputTokens);
            assertEquals(100, call.cacheReadTokens);
            assertEquals(40, call.cacheWriteTokens);
        } else {
            assertEquals(25, call.inputTokens);
            assertEquals(-1, call.cacheReadTokens, "the oldest SDK does not parse cache counts");
            assertEquals(-1, call.cacheWriteTokens);
        }
        assertNull(call.responseId, "Bedrock has no response id; the request id is not one");
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void anthropicBody() {
        InferenceCall call = invoke("""
                {"id":"msg_bdrk_01Xyz","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":30,"cache_read_input_tokens":200,"output_tokens":9}}""",
                Map.of());
        assertEquals(242, call.inputTokens);
        assertEquals(9, call.outputTokens);
        assertEquals(200, call.cacheReadTokens);
        assertEquals(30, call.cacheWriteTokens);
        assertEquals(List.of("end_turn"), call.finishReasons);
        assertEquals("msg_bdrk_01Xyz", call.responseId);
        assertNull(call.responseModel, "Anthropic's model name is not the Bedrock model id that is priced");
    }

    @Test
    void novaBody() {
        InferenceCall call = invoke("""
                {"output":{"message":{"role":"assistant","content":[{"text":"Hi"}]}},"stopReason":"end_turn",
                 "usage":{"inputTokens":20,"outputTokens":6,"totalTokens":26,"cacheReadInputTokenCount":64,"cacheWriteInputTokenCount":0}}""",
                Map.of());
        assertEquals(84, call.inputTokens);
        assertEquals(6, call.outputTokens);
        assertEquals(64, call.cacheReadTokens);
        assertEquals(0, call.cacheWriteTokens);
        assertEquals(List.of("end_turn"), call.finishReasons);
    }

    @Test
    void titanTextBody() {
        InferenceCall call = invoke("""
                {"inputTextTokenCount":5,"results":[{"tokenCount":11,"outputText":"Hi","completionReason":"FINISH"}]}""", Map.of());
        assertEquals(5, call.inputTokens);
        assertEquals(11, call.outputTokens);
        assertEquals(List.of("FINISH"), call.finishReasons);
    }

    @Test
    void titanEmbeddingBody() {
        InferenceCall call = call("embeddings");
        BedrockResponses.onResponse(call, response("{\"embedding\":[0.1,0.2,0.3,0.4],\"inputTextTokenCount\":7}",
                Map.of("X-Amzn-Bedrock-Input-Token-Count", "7", "X-Amzn-Bedrock-Output-Token-Count", "0")));
        assertEquals(7, call.inputTokens);
        assertEquals(-1, call.outputTokens, "embeddings have no output tokens");
        assertEquals(4L, call.embeddingsDimension);
    }

    @Test
    void llamaBody() {
        InferenceCall call = invoke("{\"generation\":\"Hi\",\"prompt_token_count\":14,\"generation_token_count\":3,\"stop_reason\":\"stop\"}", Map.of());
        assertEquals(14, call.inputTokens);
        assertEquals(3, call.outputTokens);
        assertEquals(List.of("stop"), call.finishReasons);
    }

    @Test
    void cohereCommandBody() {
        InferenceCall call = invoke("""
                {"response_id":"7f1c","text":"Hi","generation_id":"g1","chat_history":[],"finish_reason":"COMPLETE",
                 "meta":{"api_version":{"version":"1"},"billed_units":{"input_tokens":8,"output_tokens":2}}}""", Map.of());
        assertEquals(8, call.inputTokens);
        assertEquals(2, call.outputTokens);
        assertEquals(List.of("COMPLETE"), call.finishReasons);
        assertEquals("7f1c", call.responseId);
    }

    @Test
    void mistralCountsComeFromTheHeaders() {
        InferenceCall call = invoke("{\"outputs\":[{\"text\":\"Hi\",\"stop_reason\":\"stop\"}]}",
                Map.of("x-amzn-bedrock-input-token-count", "19", "x-amzn-bedrock-output-token-count", "4"));
        assertEquals(19, call.inputTokens);
        assertEquals(4, call.outputTokens);
        assertEquals(List.of("stop"), call.finishReasons);
    }

    @Test
    void headersDoNotOverrideTheBody() {
        InferenceCall call = invoke("{\"prompt_token_count\":14,\"generation_token_count\":3}",
                Map.of("X-Amzn-Bedrock-Input-Token-Count", "99", "X-Amzn-Bedrock-Output-Token-Count", "99"));
        assertEquals(14, call.inputTokens);
        assertEquals(3, call.outputTokens);
    }

    @Test
    void aBrokenBodyRecordsLessAndCountsTheFailure() {
        InferenceCall call = invoke("{\"usage\":", Map.of("X-Amzn-Bedrock-Input-Token-Count", "5"));
        assertEquals(5, call.inputTokens, "the headers still count");
        assertEquals(1, observer.failures.size());
    }

    @Test
    void serviceErrorsKeepTheExceptionAndItsStatus() {
        InferenceCall call = call("chat");
        ThrottlingException error = (ThrottlingException) ThrottlingException.builder().statusCode(429).message("slow down").build();
        BedrockResponses.onError(call, error);
        assertSame(error, call.error);
        assertEquals(429, call.httpStatus);
    }

    static InferenceCall call(String operation) {
        return new InferenceCall(BedrockHooks.MODULE, "aws.bedrock", operation);
    }

    private static InferenceCall invoke(String body, Map<String, String> headers) {
        InferenceCall call = call("chat");
        BedrockResponses.onResponse(call, response(body, headers));
        return call;
    }

    static InvokeModelResponse response(String body, Map<String, String> headers) {
        SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(200);
        headers.forEach(http::putHeader);
        return (InvokeModelResponse) InvokeModelResponse.builder().body(SdkBytes.fromUtf8String(body))
                .contentType("application/json").sdkHttpResponse(http.build()).build();
    }
}
