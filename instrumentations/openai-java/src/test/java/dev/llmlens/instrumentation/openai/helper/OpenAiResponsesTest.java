package dev.llmlens.instrumentation.openai.helper;

import dev.llmlens.instrumentation.testing.RecordingObserver;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmlens.bootstrap.InferenceCall;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiResponsesTest {

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();


    private static InferenceCall call() {
        return new InferenceCall("openai-java", "openai", "chat");
    }

    @Test
    void chatCompletionWithUsageFinishReasonsTierAndFingerprint() {
        InferenceCall call = call();

        OpenAiResponses.onResponse(call, Sdk.chatCompletion());

        assertEquals("chatcmpl-1", call.responseId);
        assertEquals("gpt-4o-mini-2024-07-18", call.responseModel);
        assertEquals(List.of("stop", "length"), call.finishReasons, "one entry per distinct reason, in order");
        assertEquals("default", call.responseServiceTier);
        assertEquals("fp_44709d6fcb", call.systemFingerprint);
        assertEquals(100, call.inputTokens);
        assertEquals(50, call.outputTokens);
        assertEquals(40, call.cacheReadTokens);
        assertEquals(20, call.reasoningTokens);
        assertEquals(-1, call.cacheWriteTokens, "OpenAI does not report cache writes");
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void responsesApiResponseWithUsageAndStatus() {
        InferenceCall call = call();

        OpenAiResponses.onResponse(call, Sdk.response("\"status\":\"completed\"," + Sdk.RESPONSE_USAGE));

        assertEquals("resp_1", call.responseId);
        assertEquals("gpt-4.1-2025-04-14", call.responseModel);
        assertEquals("default", call.responseServiceTier);
        assertEquals(List.of("completed"), call.finishReasons);
        assertEquals(30, call.inputTokens);
        assertEquals(70, call.outputTokens);
        assertEquals(10, call.cacheReadTokens);
        assertEquals(50, call.reasoningTokens);
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void incompleteDetailsReasonWinsOverStatus() {
        InferenceCall call = call();

        OpenAiResponses.onResponse(call, Sdk.response(
                "\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"}," + Sdk.RESPONSE_USAGE));

        assertEquals(List.of("max_output_tokens"), call.finishReasons);
    }

    @Test
    void embeddingsTakeTheDimensionFromTheDataOnlyWhenTheRequestHadNone() {
        CreateEmbeddingResponse response = Sdk.parse("""
                {"object":"list","model":"text-embedding-3-small",
                 "data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3]}],
                 "usage":{"prompt_tokens":8,"total_tokens":8}}
                """, CreateEmbeddingResponse.class);
        InferenceCall unset = new InferenceCall("openai-java", "openai", "embeddings");
        InferenceCall requested = new InferenceCall("openai-java", "openai", "embeddings");
        requested.embeddingsDimension = 256L;

        OpenAiResponses.onResponse(unset, response);
        OpenAiResponses.onResponse(requested, response);

        assertEquals("text-embedding-3-small", unset.responseModel);
        assertEquals(8, unset.inputTokens);
        assertEquals(-1, unset.outputTokens, "embeddings have no output tokens");
        assertEquals(3L, unset.embeddingsDimension);
        assertEquals(256L, requested.embeddingsDimension);
    }

    @Test
    void embeddingsInTheSdkDefaultBase64Encoding() {
        // openai-java asks for base64 unless told otherwise: three little-endian floats here
        CreateEmbeddingResponse response = Sdk.parse("""
                {"object":"list","model":"text-embedding-3-small",
                 "data":[{"object":"embedding","index":0,"embedding":"AACAPwAAAEAAAEBA"}],
                 "usage":{"prompt_tokens":2,"total_tokens":2}}
                """, CreateEmbeddingResponse.class);
        InferenceCall call = new InferenceCall("openai-java", "openai", "embeddings");

        OpenAiResponses.onResponse(call, response);

        assertEquals(3L, call.embeddingsDimension);
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void chunkSequenceFirstChunkSetsIdentityLastSetsFinishReasonUsageOnlyFromUsageChunk() {
        InferenceCall call = call();

        OpenAiResponses.onChunk(call, Sdk.chunk("gpt-4o-mini-2024-07-18", "Hel", null));
        OpenAiResponses.onChunk(call, Sdk.chunk("some-other-model", "lo", null));
        assertEquals("chatcmpl-s1", call.responseId);
        assertEquals("gpt-4o-mini-2024-07-18", call.responseModel, "only the first chunk names the model");
        assertEquals("fp_s", call.systemFingerprint);
        assertEquals("default", call.responseServiceTier);
        assertEquals(List.of(), call.finishReasons);

        OpenAiResponses.onChunk(call, Sdk.chunk("gpt-4o-mini-2024-07-18", "", "stop"));
        assertEquals(List.of("stop"), call.finishReasons);
        assertEquals(-1, call.inputTokens, "content chunks carry no usage");

        OpenAiResponses.onChunk(call, Sdk.usageChunk());
        assertEquals(12, call.inputTokens);
        assertEquals(7, call.outputTokens);
        assertEquals(0, call.cacheReadTokens);
        assertEquals(List.of("stop"), call.finishReasons);
        assertEquals(List.of(), observer.failures);
    }
    @Test
    void azurePromptFilterChunkDoesNotHideTheResponseIdAndModel() {
        InferenceCall call = call();

        // Azure OpenAI sends this before the first real chunk of every stream
        OpenAiResponses.onChunk(call, Sdk.parse("""
                {"choices":[],"created":0,"id":"","model":"","object":"",
                 "prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}
                """, ChatCompletionChunk.class));
        OpenAiResponses.onChunk(call, Sdk.chunk("gpt-4o-2024-11-20", "Hi", null));

        assertEquals("chatcmpl-s1", call.responseId);
        assertEquals("gpt-4o-2024-11-20", call.responseModel);
    }

    @Test
    void responseEventsCreatedThenCompleted() {
        InferenceCall call = call();

        OpenAiResponses.onChunk(call, Sdk.event("response.created", 0,
                "\"response\":" + Sdk.responseJson("\"status\":\"in_progress\"")));
        assertEquals("resp_1", call.responseId);
        assertEquals(List.of("in_progress"), call.finishReasons);
        assertEquals(-1, call.inputTokens);

        OpenAiResponses.onChunk(call, Sdk.event("response.completed", 7,
                "\"response\":" + Sdk.responseJson("\"status\":\"completed\"," + Sdk.RESPONSE_USAGE)));
        assertEquals(List.of("completed"), call.finishReasons, "the final status replaces the interim one");
        assertEquals(30, call.inputTokens);
        assertEquals(70, call.outputTokens);
        assertNull(call.errorType);
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void responseFailedEventSetsErrorTypeFromTheResponseError() {
        InferenceCall call = call();

        OpenAiResponses.onChunk(call, Sdk.event("response.failed", 3, "\"response\":" + Sdk.responseJson(
                "\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}")
                .replace("\"error\":null,", "")));

        assertEquals("server_error", call.errorType);
        assertEquals(List.of("failed"), call.finishReasons);
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void errorEventSetsErrorTypeFromItsCodeOrAFallback() {
        InferenceCall coded = call();
        InferenceCall uncoded = call();

        OpenAiResponses.onChunk(coded, Sdk.event("error", 2, "\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\",\"param\":null"));
        OpenAiResponses.onChunk(uncoded, Sdk.event("error", 2, "\"code\":null,\"message\":\"oops\",\"param\":null"));

        assertEquals("rate_limit_exceeded", coded.errorType);
        assertEquals("stream_error", uncoded.errorType);
    }

    @Test
    void otherEventsChangeNothing() {
        InferenceCall call = call();
        ResponseStreamEvent delta = Sdk.event("response.output_text.delta", 4,
                "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\",\"logprobs\":[]");

        OpenAiResponses.onChunk(call, delta);

        assertNull(call.responseId);
        assertEquals(List.of(), call.finishReasons);
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void rateLimitErrorKeepsTheExceptionAndItsStatus() {
        InferenceCall call = call();
        RateLimitException error = Sdk.rateLimit();

        OpenAiResponses.onError(call, error);

        assertSame(error, call.error);
        assertEquals(429, call.httpStatus);
    }

    @Test
    void nonHttpErrorHasNoStatus() {
        InferenceCall call = call();
        IllegalStateException error = new IllegalStateException("io");

        OpenAiResponses.onError(call, error);

        assertSame(error, call.error);
        assertEquals(0, call.httpStatus);
    }

    // --- robustness: whatever the SDK hands over, the app never sees our failure

    @Test
    void usageOfTheWrongTypeKeepsWhatWasReadAndReportsOneError() {
        ChatCompletion completion = Sdk.parse("""
                {"id":"chatcmpl-2","object":"chat.completion","created":1700000000,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}],
                 "usage":"not an object"}
                """, ChatCompletion.class);
        InferenceCall call = call();

        assertDoesNotThrow(() -> OpenAiResponses.onResponse(call, completion));

        assertEquals("chatcmpl-2", call.responseId);
        assertEquals("gpt-4o", call.responseModel);
        assertEquals(List.of("stop"), call.finishReasons);
        assertEquals(-1, call.inputTokens);
        assertOneInvalidDataError();
    }

    @Test
    void missingIdReportsOneErrorAndDoesNotThrow() {
        ChatCompletion completion = Sdk.parse("""
                {"object":"chat.completion","created":1700000000,"model":"gpt-4o","choices":[],
                 "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}
                """, ChatCompletion.class);
        InferenceCall call = call();

        assertDoesNotThrow(() -> OpenAiResponses.onResponse(call, completion));

        assertNull(call.responseId);
        assertOneInvalidDataError();
    }
    @Test
    void nullFinishReasonStillRecordsUsage() {
        // some OpenAI-compatible servers send finish_reason null; the tokens are what cost is computed from
        ChatCompletion completion = Sdk.parse("""
                {"id":"chatcmpl-3","object":"chat.completion","created":1700000000,"model":"llama-3.1-8b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":null}],
                 "usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11}}
                """, ChatCompletion.class);
        InferenceCall call = call();

        OpenAiResponses.onResponse(call, completion);

        assertEquals(5, call.inputTokens);
        assertEquals(6, call.outputTokens);
        assertOneInvalidDataError();
    }

    @Test
    void malformedChunkReportsOneErrorAndDoesNotThrow() {
        var chunk = Sdk.parse("{\"object\":\"chat.completion.chunk\",\"choices\":[]}",
                ChatCompletionChunk.class);
        InferenceCall call = call();

        assertDoesNotThrow(() -> OpenAiResponses.onChunk(call, chunk));

        assertOneInvalidDataError();
    }

    @Test
    void unknownResponseObjectsAreIgnoredSilently() {
        InferenceCall call = call();

        OpenAiResponses.onResponse(call, "raw body");
        OpenAiResponses.onResponse(call, null);
        OpenAiResponses.onChunk(call, 42);

        assertNull(call.responseId);
        assertEquals(List.of(), observer.failures);
    }

    private void assertOneInvalidDataError() {
        assertEquals(1, observer.failures.size(), () -> "failures: " + observer.failures);
        assertEquals("openai-java", observer.failures.get(0).module());
        assertInstanceOf(OpenAIInvalidDataException.class, observer.failures.get(0).error());
    }
}
