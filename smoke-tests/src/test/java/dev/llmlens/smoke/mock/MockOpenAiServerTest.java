package dev.llmlens.smoke.mock;

import static dev.llmlens.smoke.mock.MockOpenAiServer.CONTENT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the mock with the real openai-java SDK, which validates every response it parses. */
class MockOpenAiServerTest {
    private static MockOpenAiServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        server = new MockOpenAiServer().start();
        client = sdk(OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("test"));
    }

    /** responseValidation makes the SDK reject payloads that miss a required field. */
    private static OpenAIClient sdk(OpenAIOkHttpClient.Builder builder) {
        return builder.maxRetries(0).responseValidation(true).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
        server.setChunkDelayMillis(MockOpenAiServer.DEFAULT_CHUNK_DELAY_MILLIS);
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("Say hello")
                .build();
    }

    @Test
    void chatCompletion() {
        HttpResponseFor<ChatCompletion> raw =
                client.chat().completions().withRawResponse().create(chat("gpt-4o-mini"));
        ChatCompletion completion = raw.parse();

        assertEquals(List.of("req_mock_1"), raw.headers().values("x-request-id"));
        assertFalse(raw.headers().values("openai-processing-ms").isEmpty());
        assertEquals("chatcmpl-mock-1", completion.id());
        assertEquals("gpt-4o-mini-2024-07-18", completion.model());
        assertEquals(
                ChatCompletion.Choice.FinishReason.STOP,
                completion.choices().get(0).finishReason());
        assertEquals(CONTENT, completion.choices().get(0).message().content().orElseThrow());
        assertEquals(
                MockOpenAiServer.SYSTEM_FINGERPRINT,
                completion._systemFingerprint().asStringOrThrow());
        assertEquals("default", completion.serviceTier().orElseThrow().asString());
        assertChatUsage(completion.usage().orElseThrow());
        assertEquals(1, server.requestCount());
        assertTrue(
                server.requestBodies().get(0).contains("\"Say hello\""),
                server.requestBodies()::toString);
    }

    @Test
    void otherModelsGetADatedSuffix() {
        assertEquals(
                "gpt-4.1-2025-01-01", client.chat().completions().create(chat("gpt-4.1")).model());
        assertEquals("gpt-4o-2024-08-06", MockOpenAiServer.responseModel("gpt-4o-2024-08-06"));
    }

    private static void assertChatUsage(CompletionUsage usage) {
        assertEquals(MockOpenAiServer.CHAT_PROMPT_TOKENS, usage.promptTokens());
        assertEquals(42, usage.promptTokens());
        assertEquals(10, usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow());
        assertEquals(17, usage.completionTokens());
        assertEquals(
                5, usage.completionTokensDetails().orElseThrow().reasoningTokens().orElseThrow());
        assertEquals(59, usage.totalTokens());
    }

    private static List<ChatCompletionChunk> streamChat(ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            return stream.stream().toList();
        }
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        return chunks.stream()
                .flatMap(c -> c.choices().stream())
                .map(c -> c.delta().content().orElse(""))
                .collect(Collectors.joining());
    }

    @Test
    void chatStreamWithoutUsage() {
        List<ChatCompletionChunk> chunks = streamChat(chat("gpt-4o-mini"));

        assertEquals(5, chunks.size()); // role, 3 deltas, finish
        assertEquals(CONTENT, text(chunks));
        assertTrue(chunks.stream().allMatch(c -> c.usage().isEmpty()));
        assertTrue(chunks.stream().allMatch(c -> c.id().equals("chatcmpl-mock-1")));
        assertEquals(
                ChatCompletionChunk.Choice.FinishReason.STOP,
                chunks.get(4).choices().get(0).finishReason().orElseThrow());
    }

    @Test
    void chatStreamWithUsage() {
        List<ChatCompletionChunk> chunks =
                streamChat(
                        chat("gpt-4o-mini").toBuilder()
                                .streamOptions(
                                        ChatCompletionStreamOptions.builder()
                                                .includeUsage(true)
                                                .build())
                                .build());

        assertEquals(6, chunks.size());
        assertEquals(CONTENT, text(chunks));
        ChatCompletionChunk last = chunks.get(5);
        assertTrue(last.choices().isEmpty());
        assertChatUsage(last.usage().orElseThrow());
        assertTrue(chunks.subList(0, 5).stream().allMatch(c -> c.usage().isEmpty()));
        assertTrue(server.requestBodies().get(0).contains("\"include_usage\":true"));
    }

    @Test
    void streamFlushesEachChunkSeparately() {
        server.setChunkDelayMillis(40);
        List<Long> arrivals = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(chat("gpt-4o-mini"))) {
            stream.stream().forEach(chunk -> arrivals.add(System.nanoTime()));
        }
        // 5 chunks, 4 pauses: a buffered body would deliver them all at once
        long spreadMillis = TimeUnit.NANOSECONDS.toMillis(arrivals.get(4) - arrivals.get(0));
        assertTrue(spreadMillis >= 150, "first to last chunk took only " + spreadMillis + " ms");
    }

    @Test
    void responsesCreate() {
        Response response =
                client.responses()
                        .create(
                                ResponseCreateParams.builder()
                                        .model("gpt-4o-mini")
                                        .input("Say hello")
                                        .build());

        assertEquals("resp_mock_1", response.id());
        assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
        // a known model parses as ChatModel, where ResponsesModel.asString() would throw
        assertEquals("gpt-4o-mini-2024-07-18", response.model().asChat().asString());
        assertEquals(
                CONTENT,
                response.output()
                        .get(0)
                        .message()
                        .orElseThrow()
                        .content()
                        .get(0)
                        .outputText()
                        .orElseThrow()
                        .text());
        assertResponsesUsage(response.usage().orElseThrow());
    }

    private static void assertResponsesUsage(ResponseUsage usage) {
        assertEquals(31, usage.inputTokens());
        assertEquals(0, usage.inputTokensDetails().cachedTokens());
        assertEquals(12, usage.outputTokens());
        assertEquals(0, usage.outputTokensDetails().reasoningTokens());
        assertEquals(43, usage.totalTokens());
        assertEquals(MockOpenAiServer.RESPONSES_TOTAL_TOKENS, usage.totalTokens());
    }

    @Test
    void responsesStream() {
        List<ResponseStreamEvent> events;
        try (StreamResponse<ResponseStreamEvent> stream =
                client.responses()
                        .createStreaming(
                                ResponseCreateParams.builder()
                                        .model("gpt-4o-mini")
                                        .input("Say hello")
                                        .build())) {
            events = stream.stream().toList();
        }

        assertEquals(11, events.size());
        assertTrue(events.get(0).isCreated());
        assertEquals(
                CONTENT,
                events.stream()
                        .flatMap(e -> e.outputTextDelta().stream())
                        .map(d -> d.delta())
                        .collect(Collectors.joining()));
        Response completed = events.get(10).completed().orElseThrow().response();
        assertEquals("resp_mock_1", completed.id());
        assertResponsesUsage(completed.usage().orElseThrow());
        assertEquals(10, events.get(10).completed().orElseThrow().sequenceNumber());
    }

    @Test
    void embeddingsInTheSdkDefaultEncodingAndAsFloats() {
        EmbeddingCreateParams params =
                EmbeddingCreateParams.builder()
                        .model("text-embedding-3-small")
                        .input("hello")
                        .build();
        CreateEmbeddingResponse byDefault = client.embeddings().create(params);
        CreateEmbeddingResponse floats =
                client.embeddings()
                        .create(
                                params.toBuilder()
                                        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                                        .build());

        for (CreateEmbeddingResponse response : List.of(byDefault, floats)) {
            assertEquals(MockOpenAiServer.EMBEDDING, response.data().get(0).embedding());
            assertEquals("text-embedding-3-small", response.model());
            assertEquals(8, response.usage().promptTokens());
            assertEquals(8, response.usage().totalTokens());
        }
        assertTrue(server.requestBodies().get(1).contains("\"encoding_format\":\"float\""));
    }

    @Test
    void embeddingsForSeveralInputs() {
        CreateEmbeddingResponse response =
                client.embeddings()
                        .create(
                                EmbeddingCreateParams.builder()
                                        .model("text-embedding-3-small")
                                        .inputOfArrayOfStrings(List.of("a", "b"))
                                        .build());
        assertEquals(List.of(0L, 1L), response.data().stream().map(e -> e.index()).toList());
    }

    @Test
    void rateLimited() {
        RateLimitException e =
                assertThrows(
                        RateLimitException.class,
                        () ->
                                client.chat()
                                        .completions()
                                        .create(chat(MockOpenAiServer.MODEL_RATE_LIMITED)));
        assertEquals(429, e.statusCode());
        assertEquals("rate_limit_exceeded", e.code().orElseThrow());
        assertEquals("requests", e.type().orElseThrow());
        assertEquals(List.of("0"), e.headers().values("retry-after"));
        assertEquals(List.of("req_mock_1"), e.headers().values("x-request-id"));
    }

    @Test
    void serverError() {
        InternalServerException e =
                assertThrows(
                        InternalServerException.class,
                        () ->
                                client.responses()
                                        .create(
                                                ResponseCreateParams.builder()
                                                        .model(MockOpenAiServer.MODEL_SERVER_ERROR)
                                                        .input("x")
                                                        .build()));
        assertEquals(500, e.statusCode());
        assertEquals("server_error", e.type().orElseThrow());
    }

    @Test
    void brokenStreamFailsWhileIterating() {
        List<ChatCompletionChunk> received = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat()
                        .completions()
                        .createStreaming(chat(MockOpenAiServer.MODEL_BROKEN_STREAM))) {
            RuntimeException e =
                    assertThrows(
                            RuntimeException.class, () -> stream.stream().forEach(received::add));
            assertInstanceOf(OpenAIException.class, e, () -> "unexpected " + e);
        }
        assertEquals(2, received.size());
    }

    @Test
    void asyncChatCompletion() throws Exception {
        OpenAIClientAsync async =
                OpenAIOkHttpClientAsync.builder()
                        .baseUrl(server.baseUrl())
                        .apiKey("test")
                        .maxRetries(0)
                        .responseValidation(true)
                        .build();
        try {
            ChatCompletion completion =
                    async.chat()
                            .completions()
                            .create(chat("gpt-4o-mini"))
                            .get(10, TimeUnit.SECONDS);
            assertEquals("chatcmpl-mock-1", completion.id());
            assertChatUsage(completion.usage().orElseThrow());
        } finally {
            async.close();
        }
    }

    @Test
    void azureClientUsesTheDeploymentPath() {
        // LEGACY path mode makes the SDK treat any host as Azure (by default it checks the host
        // name).
        OpenAIClient azure =
                sdk(
                        OpenAIOkHttpClient.builder()
                                .baseUrl("http://127.0.0.1:" + server.port())
                                .credential(AzureApiKeyCredential.create("test"))
                                .azureServiceVersion(
                                        AzureOpenAIServiceVersion.latestStableVersion())
                                .azureUrlPathMode(AzureUrlPathMode.LEGACY));
        try {
            ChatCompletion completion = azure.chat().completions().create(chat("gpt-4o-mini"));
            assertChatUsage(completion.usage().orElseThrow());
            String path = server.requestPaths().get(0);
            assertTrue(
                    path.startsWith(
                            "/openai/deployments/gpt-4o-mini/chat/completions?api-version="),
                    path);
        } finally {
            azure.close();
        }
    }

    @Test
    void unknownPathAndBadJson() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> notFound =
                http.send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/nope"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(404, notFound.statusCode());
        assertTrue(
                notFound.body().contains("\"message\":\"Invalid URL (POST /v1/nope)\""),
                notFound.body());
        assertEquals(
                "application/json", notFound.headers().firstValue("content-type").orElseThrow());

        HttpResponse<String> badJson =
                http.send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                                .POST(HttpRequest.BodyPublishers.ofString("{oops"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(400, badJson.statusCode());
        assertTrue(badJson.body().contains("invalid_request_error"), badJson.body());
    }

    @Test
    void concurrentStreams() {
        server.setChunkDelayMillis(20);
        List<CompletableFuture<String>> futures =
                IntStream.range(0, 12)
                        .mapToObj(
                                i ->
                                        CompletableFuture.supplyAsync(
                                                () -> text(streamChat(chat("gpt-4o-mini")))))
                        .toList();
        futures.forEach(f -> assertEquals(CONTENT, f.join()));
        assertEquals(12, server.requestCount());
    }

    @Test
    void resetRestartsIds() {
        client.chat().completions().create(chat("gpt-4o-mini"));
        server.reset();
        assertEquals(0, server.requestCount());
        assertTrue(server.requestBodies().isEmpty());
        assertEquals(
                "chatcmpl-mock-1", client.chat().completions().create(chat("gpt-4o-mini")).id());
    }

    @Test
    void serverThreadsAreDaemons() {
        client.chat().completions().create(chat("gpt-4o-mini")); // make the pool start a worker
        List<Thread> threads =
                Thread.getAllStackTraces().keySet().stream()
                        .filter(
                                t ->
                                        t.getName().startsWith("mock-openai")
                                                || t.getName().equals("HTTP-Dispatcher"))
                        .toList();
        assertTrue(threads.size() >= 2, threads::toString);
        assertTrue(threads.stream().allMatch(Thread::isDaemon), threads::toString);
    }

    @Test
    void mainPrintsThePortAndStopsWhenStdinCloses() throws Exception {
        Process process =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                MockOpenAiServer.class.getName(),
                                "0")
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try {
            String line =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))
                            .readLine();
            assertTrue(line != null && line.startsWith("MOCK_OPENAI_PORT="), String.valueOf(line));
            int port = Integer.parseInt(line.substring("MOCK_OPENAI_PORT=".length()));
            OpenAIClient other =
                    sdk(
                            OpenAIOkHttpClient.builder()
                                    .baseUrl("http://127.0.0.1:" + port + "/v1")
                                    .apiKey("test"));
            try {
                assertEquals(
                        "chatcmpl-mock-1",
                        other.chat().completions().create(chat("gpt-4o-mini")).id());
            } finally {
                other.close();
            }
            process.getOutputStream().close();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "still running after stdin closed");
            assertEquals(0, process.exitValue());
        } finally {
            process.destroyForcibly();
        }
    }
}
