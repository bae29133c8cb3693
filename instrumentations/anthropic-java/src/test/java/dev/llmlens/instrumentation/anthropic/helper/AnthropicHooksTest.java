package dev.llmlens.instrumentation.anthropic.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.core.ClientOptions;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.beta.messages.BetaRawMessageStreamEvent;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The advice's entry points around real SDK calls: each test makes the SDK call the advice would be
 * inlined into and hands its outcome to {@link AnthropicHooks#exit} exactly as the advice does.
 */
class AnthropicHooksTest {

    private static final String FULL_DELTA_USAGE = "{\"output_tokens\":15}";
    private static CannedApi api;
    private static AnthropicClient client;
    private static AnthropicClientAsync asyncClient;

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    @BeforeAll
    static void startApi() throws Exception {
        api = new CannedApi();
        client = api.client;
        asyncClient = api.asyncClient;
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    private static MessageCreateParams params(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(256).addUserMessage("hi").build();
    }

    private static com.anthropic.models.beta.messages.MessageCreateParams betaParams(String model) {
        return com.anthropic.models.beta.messages.MessageCreateParams.builder().model(model).maxTokens(256)
                .addUserMessage("hi").build();
    }

    /** The field the advice reads from the hooked service. */
    static ClientOptions optionsOf(Object service) throws ReflectiveOperationException {
        Field field = service.getClass().getDeclaredField("clientOptions");
        field.setAccessible(true);
        return (ClientOptions) field.get(service);
    }

    /** What the inlined advice does around the SDK method. */
    static Object hooked(Object params, Object service, String method, Supplier<Object> sdkMethod)
            throws ReflectiveOperationException {
        InferenceCall call = AnthropicHooks.enter(params, optionsOf(service), method);
        Object result;
        try {
            result = sdkMethod.get();
        } catch (RuntimeException e) {
            AnthropicHooks.exit(call, null, e);
            throw e;
        }
        return AnthropicHooks.exit(call, result, null);
    }

    @SuppressWarnings("unchecked")
    private static <T> StreamResponse<T> hookedStream(Object params, Object service, Supplier<Object> sdkMethod)
            throws ReflectiveOperationException {
        return (StreamResponse<T>) hooked(params, service, "createStreaming", sdkMethod);
    }

    private InferenceCall onlyCall() {
        List<InferenceCall> calls = observer.started(InferenceCall.class);
        assertEquals(1, calls.size(), "instrumentation failures: " + observer.failures);
        return calls.get(0);
    }

    @Test
    void messageGivesUsageIncludingCacheAndTheStopReason() throws Exception {
        api.json(200, CannedApi.message("msg_1", "claude-sonnet-4-5-20250929", "end_turn", 20, 100, 30, 15));
        MessageCreateParams params = params("claude-sonnet-4-5");

        Message message = (Message) hooked(params, client.messages(), "create", () -> client.messages().create(params));

        InferenceCall call = onlyCall();
        assertEquals("msg_1", message.id());
        assertNull(observer.onlyEndOf(call).error());
        assertEquals("anthropic", call.provider);
        assertEquals("chat", call.operation);
        assertEquals("claude-sonnet-4-5", call.requestModel);
        assertEquals("claude-sonnet-4-5-20250929", call.responseModel);
        assertEquals("msg_1", call.responseId);
        assertEquals(List.of("end_turn"), call.finishReasons);
        assertEquals(150, call.inputTokens, "20 uncached + 100 cache read + 30 cache write");
        assertEquals(100, call.cacheReadTokens);
        assertEquals(30, call.cacheWriteTokens);
        assertEquals(15, call.outputTokens);
        assertEquals("127.0.0.1", call.serverAddress);
        assertEquals(api.port(), call.serverPort);
        assertFalse(call.stream);
        assertFalse(call.tracedBySdk, "the SDK traces nothing without a tracer provider");
    }

    @Test
    void requestParametersAreReadAsTheyAreSent() throws Exception {
        MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(300)
                .addUserMessage("hi").stopSequences(List.of("END", "STOP"))
                // 3.x has no typed temperature/top_p/top_k: apps send them as body properties (2.x accepts both)
                .putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(0.2))
                .putAdditionalBodyProperty("top_p", com.anthropic.core.JsonValue.from(0.9))
                .putAdditionalBodyProperty("top_k", com.anthropic.core.JsonValue.from(40))
                .outputConfig(com.anthropic.models.messages.OutputConfig.builder()
                        .effort(com.anthropic.models.messages.OutputConfig.Effort.HIGH).build())
                .build();

        InferenceCall call = AnthropicHooks.enter(params, optionsOf(client.messages()), "createStreaming");
        AnthropicHooks.exit(call, null, new IllegalStateException("not sent"));

        assertEquals(300L, call.maxTokens);
        assertEquals(0.2, call.temperature);
        assertEquals(0.9, call.topP);
        assertEquals(40.0, call.topK);
        assertEquals(List.of("END", "STOP"), call.stopSequences);
        assertEquals("high", call.reasoningLevel, "output_config.effort as sent");
        assertNull(call.outputType, "no output format requested");
        assertTrue(call.stream);
        assertTrue(observer.failures.isEmpty(), observer.failures.toString());
    }

    @Test
    void cloudBackendsAreTheirOwnProviders() throws Exception {
        assertEquals("aws.bedrock", providerFor("https://bedrock-runtime.us-east-1.amazonaws.com"));
        assertEquals("gcp.vertex_ai", providerFor("https://us-east5-aiplatform.googleapis.com"));
        assertEquals("anthropic", providerFor("https://api.anthropic.com"));
    }

    private static String providerFor(String baseUrl) throws Exception {
        AnthropicClient other = com.anthropic.client.okhttp.AnthropicOkHttpClient.builder().baseUrl(baseUrl).apiKey("k").build();
        try {
            InferenceCall call = AnthropicHooks.enter(params("claude-sonnet-4-5"), optionsOf(other.messages()), "create");
            AnthropicHooks.exit(call, null, new IllegalStateException("not sent"));
            assertEquals(443, call.serverPort);
            return call.provider;
        } finally {
            other.close();
        }
    }

    @Test
    void rateLimitIsTheCallsErrorWithItsStatus() throws Exception {
        api.json(429, CannedApi.RATE_LIMITED);
        MessageCreateParams params = params("claude-haiku-4-5");

        assertThrows(RateLimitException.class,
                () -> hooked(params, client.messages(), "create", () -> client.messages().create(params)));

        InferenceCall call = onlyCall();
        assertInstanceOf(RateLimitException.class, observer.onlyEndOf(call).error());
        assertEquals(429, call.httpStatus);
        assertEquals(-1, call.inputTokens);
    }

    @Test
    void drainedStreamEndsOnceWithUsageFromStartAndDelta() throws Exception {
        api.sse(CannedApi.stream("msg_s1", "claude-sonnet-4-5-20250929", FULL_DELTA_USAGE), false);
        MessageCreateParams params = params("claude-sonnet-4-5");

        StreamResponse<RawMessageStreamEvent> stream = hookedStream(params, client.messages(),
                () -> client.messages().createStreaming(params));
        InferenceCall call = onlyCall();
        assertTrue(observer.endsOf(call).isEmpty(), "a stream's call does not end at method exit");
        long events;
        try (stream) {
            events = stream.stream().count();
        }

        assertEquals(6, events, "every event but the ping reaches the app");
        assertNull(observer.onlyEndOf(call).error());
        assertFalse(observer.onlyEndOf(call).incomplete());
        assertTrue(call.stream);
        assertTrue(call.firstChunkNanos > 0);
        assertEquals("msg_s1", call.responseId);
        assertEquals(List.of("end_turn"), call.finishReasons);
        assertEquals(150, call.inputTokens);
        assertEquals(15, call.outputTokens, "message_delta's cumulative count replaces message_start's 1");
    }

    @Test
    void deltaThatRepeatsTheInputSideIsNotCountedTwice() throws Exception {
        String repeated = "{\"input_tokens\":20,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":30,"
                + "\"output_tokens\":15}";
        api.sse(CannedApi.stream("msg_s2", "claude-sonnet-4-5-20250929", repeated), false);
        var params = betaParams("claude-sonnet-4-5");

        StreamResponse<BetaRawMessageStreamEvent> stream = hookedStream(params, client.beta().messages(),
                () -> client.beta().messages().createStreaming(params));
        try (stream) {
            stream.stream().forEach(event -> { });
        }

        InferenceCall call = onlyCall();
        assertEquals(150, call.inputTokens);
        assertEquals(100, call.cacheReadTokens);
        assertEquals(30, call.cacheWriteTokens);
        assertEquals(15, call.outputTokens);
    }

    @Test
    void streamClosedEarlyIsIncompleteNotAnError() throws Exception {
        api.sse(CannedApi.stream("msg_s3", "claude-sonnet-4-5-20250929", FULL_DELTA_USAGE), false);
        MessageCreateParams params = params("claude-sonnet-4-5");

        StreamResponse<RawMessageStreamEvent> stream = hookedStream(params, client.messages(),
                () -> client.messages().createStreaming(params));
        try (stream) {
            stream.stream().limit(2).forEach(event -> { });
        }

        InferenceCall call = onlyCall();
        assertTrue(observer.onlyEndOf(call).incomplete());
        assertNull(observer.onlyEndOf(call).error());
        assertEquals("msg_s3", call.responseId);
        assertEquals(150, call.inputTokens, "what message_start said is kept");
        assertEquals(1, call.outputTokens);
    }

    @Test
    void streamTheAppNeverReadsNorClosesEndsWhenCollected() throws Exception {
        api.sse(CannedApi.stream("msg_s5", "claude-sonnet-4-5-20250929", FULL_DELTA_USAGE), false);
        openAndDropStream();
        InferenceCall call = onlyCall();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (observer.endsOf(call).isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            // polling the facade's cleaner thread, which ends the call once the stream is unreachable
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        assertTrue(observer.onlyEndOf(call).incomplete());
        assertNull(observer.onlyEndOf(call).error());
    }

    private void openAndDropStream() throws Exception {
        MessageCreateParams params = params("claude-sonnet-4-5");
        StreamResponse<RawMessageStreamEvent> stream = hookedStream(params, client.messages(),
                () -> client.messages().createStreaming(params));
        assertTrue(stream instanceof ObservedStream<?>);
    }

    @Test
    void streamCutMidwayIsAnError() throws Exception {
        api.sse(CannedApi.stream("msg_s4", "claude-sonnet-4-5-20250929", FULL_DELTA_USAGE).subList(0, 2), true);
        MessageCreateParams params = params("claude-sonnet-4-5");

        StreamResponse<RawMessageStreamEvent> stream = hookedStream(params, client.messages(),
                () -> client.messages().createStreaming(params));
        RuntimeException thrown;
        try (stream) {
            thrown = assertThrows(RuntimeException.class, () -> stream.stream().forEach(event -> { }));
        }

        InferenceCall call = onlyCall();
        assertSame(thrown, observer.onlyEndOf(call).error());
        assertFalse(observer.onlyEndOf(call).incomplete());
    }

    @Test
    void asyncMessageEndsWhenTheFutureCompletes() throws Exception {
        api.json(200, CannedApi.message("msg_a1", "claude-haiku-4-5-20251001", "max_tokens", 7, 0, 0, 3));
        var params = betaParams("claude-haiku-4-5");

        CompletableFuture<?> future = (CompletableFuture<?>) hooked(params, asyncClient.beta().messages(), "create",
                () -> asyncClient.beta().messages().create(params));
        future.join();

        InferenceCall call = onlyCall();
        assertNull(observer.onlyEndOf(call).error());
        assertEquals("msg_a1", call.responseId);
        assertEquals(List.of("max_tokens"), call.finishReasons);
        assertEquals(7, call.inputTokens);
        assertEquals(0, call.cacheReadTokens);
    }

    @Test
    void asyncStreamIsObservedBeforeTheAppsHandler() throws Exception {
        api.sse(CannedApi.stream("msg_a2", "claude-sonnet-4-5-20250929", FULL_DELTA_USAGE), false);
        MessageCreateParams params = params("claude-sonnet-4-5");

        @SuppressWarnings("unchecked")
        AsyncStreamResponse<RawMessageStreamEvent> stream = (AsyncStreamResponse<RawMessageStreamEvent>) hooked(params,
                asyncClient.messages(), "createStreaming", () -> asyncClient.messages().createStreaming(params));
        List<Long> firstChunkSeenBeforeHandler = new java.util.concurrent.CopyOnWriteArrayList<>();
        stream.subscribe(event -> firstChunkSeenBeforeHandler.add(onlyCall().firstChunkNanos));
        stream.onCompleteFuture().join();

        InferenceCall call = onlyCall();
        assertNull(observer.onlyEndOf(call).error());
        assertEquals(6, firstChunkSeenBeforeHandler.size());
        assertTrue(firstChunkSeenBeforeHandler.get(0) > 0);
        assertEquals(150, call.inputTokens);
        assertEquals(15, call.outputTokens);
    }

    @Test
    void rawResponseIsACallWhoseBodyStaysTheApps() throws Exception {
        api.json(200, CannedApi.message("msg_r1", "claude-sonnet-4-5-20250929", "end_turn", 20, 100, 30, 15));
        MessageCreateParams params = params("claude-sonnet-4-5");
        var raw = client.messages().withRawResponse();

        var response = (com.anthropic.core.http.HttpResponseFor<?>) hooked(params, raw, "create", () -> raw.create(params));

        InferenceCall call = onlyCall();
        assertNull(observer.onlyEndOf(call).error());
        assertNull(call.responseId, "parsing here would consume the body the app reads");
        assertEquals("msg_r1", ((Message) response.parse()).id());
    }

    @Test
    void innerLayerOfTheSameCallIsNotASecondCall() throws Exception {
        MessageCreateParams params = params("claude-sonnet-4-5");
        ClientOptions options = optionsOf(client.messages());
        InferenceCall outer = AnthropicHooks.enter(params, options, "create");
        assertNull(AnthropicHooks.enter(params, options, "create"), "Impl → WithRawResponseImpl is one call");
        AnthropicHooks.exit(null, null, null);
        AnthropicHooks.exit(outer, null, null);

        assertEquals(List.of(outer), observer.started);
        assertNull(AnthropicHooks.enter("not a request", options, "create"));
        AnthropicHooks.exit(null, null, null);
    }
}
