package dev.llmlens.instrumentation.googlegenai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.errors.ClientException;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Responses, chunks and errors of the real SDK read into the neutral call. */
class GenAiResponsesTest {

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    private final InferenceCall call = new InferenceCall("google-genai", "gcp.gemini", "generate_content");

    @Test
    void cachedTokensStayInsideInputAndThinkingIsBilledAsOutput() {
        GenAiResponses.onResponse(call, Sdk.response(Sdk.FULL_USAGE, "STOP"));

        assertEquals(120, call.inputTokens, "promptTokenCount already includes the cached content");
        assertEquals(40, call.cacheReadTokens);
        assertEquals(30 + 12, call.outputTokens, "candidates + thoughts");
        assertEquals(12, call.reasoningTokens);
        assertEquals(-1, call.cacheWriteTokens);
        assertEquals("resp-1", call.responseId);
        assertEquals("gemini-2.5-flash", call.responseModel);
        assertEquals(List.of("stop"), call.finishReasons);
    }

    @Test
    void absentCountsStayUnknownNotZero() {
        GenAiResponses.onResponse(call, Sdk.response("{\"promptTokenCount\":120,\"totalTokenCount\":120}", null));

        assertEquals(120, call.inputTokens);
        assertEquals(-1, call.outputTokens);
        assertEquals(-1, call.cacheReadTokens);
        assertEquals(-1, call.reasoningTokens);
        assertTrue(call.finishReasons.isEmpty());
    }

    @Test
    void outputWithoutThinkingIsTheCandidatesCount() {
        GenAiResponses.onResponse(call, Sdk.response("{\"promptTokenCount\":5,\"candidatesTokenCount\":7}", "MAX_TOKENS"));

        assertEquals(7, call.outputTokens);
        assertEquals(-1, call.reasoningTokens);
        assertEquals(List.of("max_tokens"), call.finishReasons);
    }

    @Test
    void theLastChunkWithUsageWins() {
        GenAiResponses.onResponse(call, Sdk.response("{\"promptTokenCount\":120,\"totalTokenCount\":120}", null));
        GenAiResponses.onResponse(call, Sdk.response(Sdk.FULL_USAGE, "STOP"));
        GenAiResponses.onResponse(call, Sdk.response(null, null));

        assertEquals(120, call.inputTokens);
        assertEquals(42, call.outputTokens);
        assertEquals(List.of("stop"), call.finishReasons);
    }

    @Test
    void vertexEmbeddingsAddUpTheirTokenCounts() {
        InferenceCall embed = new InferenceCall("google-genai", "gcp.vertex_ai", "embeddings");
        GenAiResponses.onEmbeddings(embed, Sdk.embeddings("""
                {"embeddings":[{"values":[0.1,0.2,0.3],"statistics":{"tokenCount":6,"truncated":false}},
                               {"values":[0.4,0.5,0.6],"statistics":{"tokenCount":4,"truncated":false}}],
                 "metadata":{"billableCharacterCount":20}}"""));

        assertEquals(10, embed.inputTokens);
        assertEquals(3L, embed.embeddingsDimension);
        assertEquals(-1, embed.outputTokens);
    }

    @Test
    void geminiApiEmbeddingsHaveNoUsage() {
        InferenceCall embed = new InferenceCall("google-genai", "gcp.gemini", "embeddings");
        embed.embeddingsDimension = 768L;
        GenAiResponses.onEmbeddings(embed, Sdk.embeddings("{\"embeddings\":[{\"values\":[0.1,0.2]}]}"));

        assertEquals(-1, embed.inputTokens);
        assertEquals(768L, embed.embeddingsDimension, "the requested dimension is kept");
    }

    @Test
    void apiExceptionGivesTheHttpStatus() {
        ClientException error = new ClientException(429, "RESOURCE_EXHAUSTED", "quota");
        GenAiResponses.onError(call, error);

        assertSame(error, call.error);
        assertEquals(429, call.httpStatus);
    }

    @Test
    void otherErrorsHaveNoStatus() {
        GenAiResponses.onError(call, new IllegalStateException("x"));

        assertEquals(0, call.httpStatus);
        assertNull(call.responseId);
        assertTrue(observer.failures.isEmpty());
    }
}
