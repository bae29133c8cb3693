package dev.llmlens.instrumentation.openai.helper;

import com.openai.core.ClientOptions;
import com.openai.core.ObjectMappers;
import com.openai.core.RequestOptions;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.Headers;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/** Real openai-java objects for the tests, parsed from payloads shaped like the API's. */
final class Sdk {

    private Sdk() {}

    static <T> T parse(String json, Class<T> type) {
        try {
            return ObjectMappers.jsonMapper().readValue(json, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Real client options; the HTTP client is never used, the helpers only read the options. */
    static ClientOptions.Builder options(String baseUrl) {
        return ClientOptions.builder().httpClient(new UnusedHttpClient()).apiKey("k").baseUrl(baseUrl);
    }

    static RateLimitException rateLimit() {
        return RateLimitException.builder().headers(Headers.builder().build()).build();
    }

    static ChatCompletion chatCompletion() {
        return parse("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,
                 "model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_44709d6fcb",
                 "choices":[
                   {"index":0,"message":{"role":"assistant","content":"a","refusal":null},"logprobs":null,"finish_reason":"stop"},
                   {"index":1,"message":{"role":"assistant","content":"b","refusal":null},"logprobs":null,"finish_reason":"length"},
                   {"index":2,"message":{"role":"assistant","content":"c","refusal":null},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150,
                   "prompt_tokens_details":{"cached_tokens":40,"audio_tokens":0},
                   "completion_tokens_details":{"reasoning_tokens":20,"audio_tokens":0,
                     "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}
                """, ChatCompletion.class);
    }

    static ChatCompletionChunk chunk(String model, String content, String finishReason) {
        String reason = finishReason == null ? "null" : '"' + finishReason + '"';
        return parse("""
                {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"%s",
                 "service_tier":"default","system_fingerprint":"fp_s",
                 "choices":[{"index":0,"delta":{"content":"%s"},"logprobs":null,"finish_reason":%s}]}
                """.formatted(model, content, reason), ChatCompletionChunk.class);
    }

    /** The extra chunk the API sends last when the request set stream_options.include_usage. */
    static ChatCompletionChunk usageChunk() {
        return parse("""
                {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[],
                 "usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,
                   "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}
                """, ChatCompletionChunk.class);
    }

    /** A Responses API response body; {@code tail} adds fields such as status, usage, error. */
    static String responseJson(String tail) {
        return """
                {"id":"resp_1","object":"response","created_at":1700000000,"model":"gpt-4.1-2025-04-14",
                 "error":null,"incomplete_details":null,"instructions":null,"metadata":{},"output":[],
                 "parallel_tool_calls":true,"temperature":1.0,"tool_choice":"auto","tools":[],"top_p":1.0,
                 "service_tier":"default"%s}
                """.formatted(tail.isEmpty() ? "" : "," + tail);
    }

    static final String RESPONSE_USAGE = """
            "usage":{"input_tokens":30,"input_tokens_details":{"cached_tokens":10},
              "output_tokens":70,"output_tokens_details":{"reasoning_tokens":50},"total_tokens":100}""";

    static Response response(String tail) {
        return parse(responseJson(tail), Response.class);
    }

    static ResponseStreamEvent event(String type, int sequence, String body) {
        return parse("{\"type\":\"%s\",\"sequence_number\":%d,%s}".formatted(type, sequence, body),
                ResponseStreamEvent.class);
    }

    private static final class UnusedHttpClient implements HttpClient {
        @Override
        public HttpResponse execute(HttpRequest request, RequestOptions options) {
            throw new UnsupportedOperationException("tests never send requests");
        }

        @Override
        public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
            throw new UnsupportedOperationException("tests never send requests");
        }

        @Override
        public void close() {}
    }
}
