package dev.llmlens.instrumentation.bedrock.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/** The handler wrappers driven the way the SDK drives them, around handlers built by the SDK's own builders. */
class ObservedEventStreamTest {

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    @Test
    void converseStreamReachesTheAppsVisitorAndEndsOnComplete() throws Exception {
        List<String> seenByApp = new ArrayList<>();
        ConverseStreamResponseHandler app = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockDelta(e -> seenByApp.add(e.delta().text()))
                        .onMessageStop(e -> seenByApp.add("stop:" + e.stopReasonAsString()))
                        .build())
                .build();
        InferenceCall call = BedrockHooks.enter(ConverseStreamRequest.builder().modelId("us.amazon.nova-pro-v1:0").build(), null);
        ConverseStreamResponseHandler observed = (ConverseStreamResponseHandler) BedrockHooks.observe(call, app);
        BedrockHooks.exit(call, new CompletableFuture<Void>(), null);

        observed.onEventStream(publisherOf(List.of(
                ConverseStreamOutput.messageStartBuilder().role("assistant").build(),
                ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0).delta(d -> d.text("Hel")).build(),
                ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0).delta(d -> d.text("lo")).build(),
                ConverseStreamOutput.messageStopBuilder().stopReason("end_turn").build(),
                ConverseStreamOutput.metadataBuilder().usage(Sdk.usageWithCache(30, 5, 10, 0)).metrics(m -> m.latencyMs(20L)).build())));
        assertFalse(call.isEnded(), "the stream is not over until the SDK says so");
        observed.complete();

        assertEquals(List.of("Hel", "lo", "stop:end_turn"), seenByApp);
        RecordingObserver.Ended ended = observer.onlyEndOf(call);
        assertFalse(ended.incomplete());
        assertNull(ended.error());
        assertTrue(call.firstChunkNanos > 0);
        assertEquals(List.of("end_turn"), call.finishReasons);
        assertEquals(Sdk.newest() ? 40 : 30, call.inputTokens);
        assertEquals(5, call.outputTokens);
        assertEquals(List.of(), observer.failures);
    }

    @Test
    void firstChunkIsTheFirstContentEventNotTheMessageStart() throws Exception {
        ConverseStreamResponseHandler app = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder().build()).build();
        InferenceCall call = BedrockHooks.enter(ConverseStreamRequest.builder().modelId("m").build(), null);
        ConverseStreamResponseHandler observed = (ConverseStreamResponseHandler) BedrockHooks.observe(call, app);
        observed.onEventStream(publisherOf(List.of(ConverseStreamOutput.messageStartBuilder().role("assistant").build())));
        assertEquals(0, call.firstChunkNanos);
    }

    @Test
    void anErrorEndsTheCallWithTheSdkException() {
        List<Throwable> seenByApp = new ArrayList<>();
        ConverseStreamResponseHandler app = ConverseStreamResponseHandler.builder()
                .onError(seenByApp::add).subscriber(ConverseStreamResponseHandler.Visitor.builder().build()).build();
        InferenceCall call = BedrockHooks.enter(ConverseStreamRequest.builder().modelId("m").build(), null);
        ConverseStreamResponseHandler observed = (ConverseStreamResponseHandler) BedrockHooks.observe(call, app);
        Throwable throttled = ThrottlingException.builder().statusCode(429).message("Too many requests").build();
        observed.exceptionOccurred(new CompletionException(throttled));

        assertSame(throttled, observer.onlyEndOf(call).error());
        assertEquals(429, call.httpStatus);
        assertEquals(1, seenByApp.size(), "the app still hears of it");
    }

    @Test
    void cancellingTheSubscriptionEndsTheCallAsIncomplete() {
        List<Subscription> subscriptions = new ArrayList<>();
        InvokeModelWithResponseStreamResponseHandler app = InvokeModelWithResponseStreamResponseHandler.builder()
                .onEventStream(publisher -> publisher.subscribe(new Subscriber<ResponseStream>() {
                    @Override public void onSubscribe(Subscription s) { subscriptions.add(s); s.request(1); }
                    @Override public void onNext(ResponseStream e) { subscriptions.get(0).cancel(); }
                    @Override public void onError(Throwable t) {}
                    @Override public void onComplete() {}
                })).build();
        InferenceCall call = BedrockHooks.enter(InvokeModelWithResponseStreamRequest.builder()
                .modelId("us.anthropic.claude-sonnet-4-5-20250929-v1:0").body(SdkBytes.fromUtf8String("{\"messages\":[]}")).build(), null);
        InvokeModelWithResponseStreamResponseHandler observed = (InvokeModelWithResponseStreamResponseHandler) BedrockHooks.observe(call, app);
        observed.onEventStream(publisherOf(List.of(
                chunk("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_1\",\"usage\":{\"input_tokens\":11,\"output_tokens\":1}}}"),
                chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"))));

        RecordingObserver.Ended ended = observer.onlyEndOf(call);
        assertTrue(ended.incomplete());
        assertNull(ended.error());
        assertEquals(11, call.inputTokens);
        assertEquals(0, call.firstChunkNanos, "the app cancelled before any content reached it");
    }

    @Test
    void anthropicInvokeStreamChunks() {
        InferenceCall call = new InferenceCall(BedrockHooks.MODULE, "aws.bedrock", "chat");
        assertFalse(ModelBodies.readChunk(call, Json.parse(bytes("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_1\","
                + "\"usage\":{\"input_tokens\":11,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}"))));
        assertTrue(ModelBodies.readChunk(call, Json.parse(bytes("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"))));
        assertFalse(ModelBodies.readChunk(call, Json.parse(bytes("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":9}}"))));
        assertFalse(ModelBodies.readChunk(call, Json.parse(bytes("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":"
                + "{\"inputTokenCount\":11,\"outputTokenCount\":9,\"invocationLatency\":500,\"firstByteLatency\":100}}"))));
        assertEquals(111, call.inputTokens);
        assertEquals(100, call.cacheReadTokens);
        assertEquals(9, call.outputTokens);
        assertEquals("msg_bdrk_1", call.responseId);
        assertEquals(List.of("max_tokens"), call.finishReasons);
    }

    @Test
    void otherFamiliesStreamCountsAndTheInvocationMetricsFallback() {
        InferenceCall llama = new InferenceCall(BedrockHooks.MODULE, "aws.bedrock", "text_completion");
        assertTrue(ModelBodies.readChunk(llama, Json.parse(bytes("{\"generation\":\"Hi\",\"prompt_token_count\":14,\"generation_token_count\":1,\"stop_reason\":null}"))));
        ModelBodies.readChunk(llama, Json.parse(bytes("{\"generation\":\"!\",\"prompt_token_count\":null,\"generation_token_count\":2,\"stop_reason\":\"stop\"}")));
        assertEquals(14, llama.inputTokens);
        assertEquals(2, llama.outputTokens);
        assertEquals(List.of("stop"), llama.finishReasons);

        InferenceCall mistral = new InferenceCall(BedrockHooks.MODULE, "aws.bedrock", "text_completion");
        assertTrue(ModelBodies.readChunk(mistral, Json.parse(bytes("{\"outputs\":[{\"text\":\"Hi\",\"stop_reason\":null}]}"))));
        ModelBodies.readChunk(mistral, Json.parse(bytes("{\"outputs\":[{\"text\":\"\",\"stop_reason\":\"stop\"}],"
                + "\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":19,\"outputTokenCount\":4}}")));
        assertEquals(19, mistral.inputTokens);
        assertEquals(4, mistral.outputTokens);
        assertEquals(List.of("stop"), mistral.finishReasons);

        InferenceCall nova = new InferenceCall(BedrockHooks.MODULE, "aws.bedrock", "chat");
        assertTrue(ModelBodies.readChunk(nova, Json.parse(bytes("{\"contentBlockDelta\":{\"delta\":{\"text\":\"Hi\"},\"contentBlockIndex\":0}}"))));
        ModelBodies.readChunk(nova, Json.parse(bytes("{\"messageStop\":{\"stopReason\":\"end_turn\"}}")));
        ModelBodies.readChunk(nova, Json.parse(bytes("{\"metadata\":{\"usage\":{\"inputTokens\":20,\"outputTokens\":6,\"cacheReadInputTokenCount\":64}}}")));
        assertEquals(84, nova.inputTokens);
        assertEquals(6, nova.outputTokens);
        assertEquals(List.of("end_turn"), nova.finishReasons);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static ResponseStream chunk(String json) {
        return ResponseStream.chunkBuilder().bytes(SdkBytes.fromUtf8String(json)).build();
    }

    /** Emits the events on request, on the calling thread, as a stand-in for the SDK's event-stream publisher. */
    static <E> SdkPublisher<E> publisherOf(List<E> events) {
        return subscriber -> subscriber.onSubscribe(new Subscription() {
            private int next;
            private boolean cancelled;

            @Override
            public void request(long n) {
                for (long i = 0; i < n && next < events.size() && !cancelled; i++) {
                    subscriber.onNext(events.get(next++));
                }
                if (next == events.size() && !cancelled) {
                    next++;
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {
                cancelled = true;
            }
        });
    }
}
