package dev.llmlens.instrumentation.googlegenai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.ApiClient;
import com.google.genai.Client;
import com.google.genai.errors.ServerException;
import com.google.genai.types.AutomaticFunctionCallingConfig;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.ThinkingConfig;
import com.google.genai.types.ThinkingLevel;
import com.google.genai.types.Tool;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The advice's entry points, on real SDK objects; nothing here sends a request. */
class GoogleGenAiHooksTest {

    private static final Client GEMINI = Sdk.gemini("http://localhost:8080/");
    private static final Client VERTEX = Sdk.vertex("https://us-central1-aiplatform.googleapis.com/");
    private static final ApiClient CLIENT = Sdk.apiClient(GEMINI);

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    @AfterAll
    static void closeClients() {
        GEMINI.close();
        VERTEX.close();
    }

    public static String getWeather(String city) {
        return "sunny";
    }

    private static Method weather() throws NoSuchMethodException {
        return GoogleGenAiHooksTest.class.getMethod("getWeather", String.class);
    }

    private static Object[] generate(String model, GenerateContentConfig config) {
        return new Object[] {model, List.of(), config};
    }

    @Test
    void plainRoundTripReadsRequestAndResponse() {
        GenerateContentConfig config = GenerateContentConfig.builder().temperature(0.5f).topP(0.25f).topK(40f).maxOutputTokens(64)
                .candidateCount(2).seed(3).stopSequences(List.of("END")).responseMimeType("application/json")
                .thinkingConfig(ThinkingConfig.builder().thinkingLevel(new ThinkingLevel("HIGH")).build()).build();
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContent", generate("gemini-2.5-flash", config));

        assertEquals(List.of(call), observer.started);
        assertEquals("gcp.gemini", call.provider);
        assertEquals("generate_content", call.operation);
        assertEquals("gemini-2.5-flash", call.requestModel);
        assertEquals("localhost", call.serverAddress);
        assertEquals(8080, call.serverPort);
        assertFalse(call.stream);
        assertEquals(0.5, call.temperature);
        assertEquals(0.25, call.topP);
        assertEquals(40.0, call.topK);
        assertEquals(64L, call.maxTokens);
        assertEquals(2L, call.choiceCount);
        assertEquals(3L, call.seed);
        assertEquals(List.of("END"), call.stopSequences);
        assertEquals("json", call.outputType);
        assertEquals("HIGH", call.reasoningLevel);

        GenerateContentResponse response = Sdk.response(Sdk.FULL_USAGE, "STOP");
        assertSame(response, GoogleGenAiHooks.exitRoundTrip(call, response, null));
        assertNull(observer.onlyEndOf(call).error());
        assertEquals(120, call.inputTokens);
        assertTrue(observer.leftWhileCurrent.contains(call));
    }

    @Test
    void vertexModeAndItsDefaultHost() {
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(Sdk.apiClient(VERTEX), "privateEmbedContent",
                new Object[] {"gemini-embedding-001", List.of(), EmbedContentConfig.builder().outputDimensionality(256).build()});

        assertEquals("gcp.vertex_ai", call.provider);
        assertEquals("embeddings", call.operation);
        assertEquals("us-central1-aiplatform.googleapis.com", call.serverAddress);
        assertEquals(443, call.serverPort);
        assertEquals(256L, call.embeddingsDimension);
        GoogleGenAiHooks.exitRoundTrip(call, null, null);
    }

    @Test
    void thrownErrorEndsTheCallWithIt() {
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContent", generate("m", null));
        ServerException failure = new ServerException(503, "UNAVAILABLE", "overloaded");

        assertNull(GoogleGenAiHooks.exitRoundTrip(call, null, failure));

        assertSame(failure, observer.onlyEndOf(call).error());
        assertEquals(503, call.httpStatus);
    }

    @Test
    void asyncCallEndsBeforeTheFutureTheAppGetsCompletes() {
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContent", generate("m", null));
        CompletableFuture<GenerateContentResponse> sdkFuture = new CompletableFuture<>();
        @SuppressWarnings("unchecked")
        CompletableFuture<GenerateContentResponse> appFuture =
                (CompletableFuture<GenerateContentResponse>) GoogleGenAiHooks.exitRoundTrip(call, sdkFuture, null);
        AtomicBoolean endedFirst = new AtomicBoolean();
        // what the SDK's tool loop does with the future: chain the next round trip on it
        appFuture.thenAccept(response -> endedFirst.set(call.isEnded()));

        assertTrue(observer.endsOf(call).isEmpty(), "not ended at method exit");
        sdkFuture.complete(Sdk.response(Sdk.FULL_USAGE, "STOP"));

        assertTrue(endedFirst.get(), "the call had ended when the app's future completed");
        assertEquals(42, call.outputTokens);
    }

    @Test
    void asyncFailureIsUnwrapped() {
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContent", generate("m", null));
        CompletableFuture<GenerateContentResponse> sdkFuture = new CompletableFuture<>();
        GoogleGenAiHooks.exitRoundTrip(call, sdkFuture, null);
        ServerException failure = new ServerException(500, "INTERNAL", "boom");

        sdkFuture.completeExceptionally(new CompletionException(failure));

        assertSame(failure, observer.onlyEndOf(call).error());
    }

    @Test
    void cancellingTheAppsFutureEndsTheCallIncomplete() {
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContent", generate("m", null));
        CompletableFuture<?> appFuture = (CompletableFuture<?>) GoogleGenAiHooks.exitRoundTrip(call, new CompletableFuture<>(), null);

        appFuture.cancel(true);

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertTrue(end.incomplete());
        assertNull(end.error());
    }

    @Test
    void streamEndsWhenDrained() {
        Object stream = new Object();
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContentStream", generate("m", null));
        assertTrue(call.stream);
        assertSame(stream, GoogleGenAiHooks.exitRoundTrip(call, stream, null));
        assertTrue(observer.endsOf(call).isEmpty(), "a stream goes on after the method returned");

        GoogleGenAiHooks.streamChecked(stream, true, null);
        GoogleGenAiHooks.streamAdvanced(stream, Sdk.response("{\"promptTokenCount\":120}", null), null);
        assertTrue(call.firstChunkNanos > 0);
        GoogleGenAiHooks.streamAdvanced(stream, Sdk.response(Sdk.FULL_USAGE, "STOP"), null);
        GoogleGenAiHooks.streamChecked(stream, false, null);
        GoogleGenAiHooks.streamClosed(stream);

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertFalse(end.incomplete(), "drained, then closed: complete");
        assertEquals(42, call.outputTokens);
        assertEquals(List.of("stop"), call.finishReasons);
    }

    @Test
    void streamClosedEarlyIsIncompleteNotAnError() {
        Object stream = new Object();
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContentStream", generate("m", null));
        GoogleGenAiHooks.exitRoundTrip(call, stream, null);
        GoogleGenAiHooks.streamAdvanced(stream, Sdk.response("{\"promptTokenCount\":120}", null), null);

        GoogleGenAiHooks.streamClosed(stream);

        RecordingObserver.Ended end = observer.onlyEndOf(call);
        assertTrue(end.incomplete());
        assertNull(end.error());
        assertEquals(120, call.inputTokens);
    }

    @Test
    void streamFailureEndsWithTheErrorButReadingPastTheEndDoesNot() {
        Object failing = new Object();
        InferenceCall failed = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContentStream", generate("m", null));
        GoogleGenAiHooks.exitRoundTrip(failed, failing, null);
        ServerException failure = new ServerException(500, "INTERNAL", "stream broke");
        GoogleGenAiHooks.streamAdvanced(failing, null, failure);
        assertSame(failure, observer.onlyEndOf(failed).error());

        Object misused = new Object();
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContentStream", generate("m", null));
        GoogleGenAiHooks.exitRoundTrip(call, misused, null);
        GoogleGenAiHooks.streamAdvanced(misused, null, new NoSuchElementException());
        assertNull(observer.onlyEndOf(call).error());
    }

    @Test
    void asyncStreamIsObservedOnceItArrives() {
        Object stream = new Object();
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContentStream", generate("m", null));
        CompletableFuture<Object> sdkFuture = new CompletableFuture<>();
        CompletableFuture<?> appFuture = (CompletableFuture<?>) GoogleGenAiHooks.exitRoundTrip(call, sdkFuture, null);

        sdkFuture.complete(stream);
        assertTrue(appFuture.isDone());
        assertTrue(observer.endsOf(call).isEmpty(), "the stream is still to be read");
        GoogleGenAiHooks.streamChecked(stream, false, null);

        assertEquals(1, observer.endsOf(call).size());
    }

    @Test
    void unknownStreamsAreIgnored() {
        GoogleGenAiHooks.streamAdvanced(new Object(), Sdk.response(null, null), null);
        GoogleGenAiHooks.streamChecked(new Object(), false, null);
        GoogleGenAiHooks.streamClosed(new Object());

        assertTrue(observer.ended.isEmpty());
        assertTrue(observer.failures.isEmpty());
    }

    @Test
    void aRunExistsOnlyWhenTheSdkCanCallMethods() throws Exception {
        assertNull(GoogleGenAiHooks.enterGenerate("m", null, "M.generateContent"));
        assertNull(GoogleGenAiHooks.enterGenerate("m", GenerateContentConfig.builder().tools(Tool.builder()
                .functionDeclarations(FunctionDeclaration.builder().name("getWeather").build()).build()).build(), "M.g"),
                "declarations only: the app runs the function itself, no loop");
        assertNull(GoogleGenAiHooks.enterGenerate("m", GenerateContentConfig.builder().tools(Tool.builder().functions(weather()).build())
                .automaticFunctionCalling(AutomaticFunctionCallingConfig.builder().disable(true).build()).build(), "M.g"));
        assertNull(GoogleGenAiHooks.enterGenerate("m", GenerateContentConfig.builder().tools(Tool.builder().functions(weather()).build())
                .automaticFunctionCalling(AutomaticFunctionCallingConfig.builder().maximumRemoteCalls(0).build()).build(), "M.g"));
        assertTrue(observer.started.isEmpty());

        AgentRun run = GoogleGenAiHooks.enterGenerate("gemini-2.5-flash",
                GenerateContentConfig.builder().tools(Tool.builder().functions(weather()).build()).build(),
                "com.google.genai.Models.generateContent");
        assertEquals("AutomaticFunctionCalling", run.agentName);
        assertEquals("com.google.genai.Models.generateContent", run.agentMethod);
        assertEquals("gemini-2.5-flash", run.requestModel);
        Object response = new Object();
        assertSame(response, GoogleGenAiHooks.exitGenerate(run, response, null));
        assertNull(observer.onlyEndOf(run).error());
    }

    @Test
    void syncLoopNestsRoundTripsAndToolsUnderTheRun() throws Exception {
        GenerateContentConfig config = GenerateContentConfig.builder().tools(Tool.builder().functions(weather()).build()).build();
        Map<String, Method> functionMap = Map.of("getWeather", weather());
        AgentRun run = GoogleGenAiHooks.enterGenerate("m", config, "com.google.genai.Models.generateContent");

        InferenceCall first = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContent", generate("m", config));
        GoogleGenAiHooks.exitRoundTrip(first, Sdk.functionCalls("getWeather", "call-7"), null);
        Object pending = GoogleGenAiHooks.enterFunctionCalls(Sdk.functionCalls("getWeather", "call-7"), functionMap);
        ToolCall tool = GoogleGenAiHooks.enterTool(weather(), null);
        GoogleGenAiHooks.exitTool(tool, null, null);
        GoogleGenAiHooks.exitFunctionCalls(pending);
        InferenceCall second = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContent", generate("m", config));
        GoogleGenAiHooks.exitRoundTrip(second, Sdk.response(null, "STOP"), null);
        GoogleGenAiHooks.exitGenerate(run, Sdk.response(null, "STOP"), null);

        assertSame(run, observer.parentOf(first));
        assertSame(run, observer.parentOf(tool));
        assertSame(run, observer.parentOf(second));
        assertEquals("getWeather", tool.toolName);
        assertEquals("call-7", tool.toolCallId);
        assertNull(observer.onlyEndOf(tool).error());
        assertEquals(1, observer.endsOf(run).size());
    }

    @Test
    void failingToolRecordsTheToolsOwnException() throws Exception {
        Object pending = GoogleGenAiHooks.enterFunctionCalls(
                Sdk.functionCalls("other", "call-1", "getWeather", null), Map.of("getWeather", weather()));
        ToolCall tool = GoogleGenAiHooks.enterTool(weather(), null);
        IllegalStateException cause = new IllegalStateException("down");

        GoogleGenAiHooks.exitTool(tool, null, new InvocationTargetException(cause));
        GoogleGenAiHooks.exitFunctionCalls(pending);

        assertSame(cause, observer.onlyEndOf(tool).error());
        assertNull(tool.toolCallId, "the call for getWeather had no id; 'other' is not a declared function");
    }

    @Test
    void asyncLoopIterationsOnPoolThreadsFindTheirRun() throws Exception {
        GenerateContentConfig config = GenerateContentConfig.builder().tools(Tool.builder().functions(weather()).build()).build();
        Map<String, Method> functionMap = Map.of("getWeather", weather());
        AgentRun run = GoogleGenAiHooks.enterGenerate("m", config, "com.google.genai.AsyncModels.generateContent");
        // first iteration, on the app's thread inside AsyncModels#generateContent
        AgentRun previous = GoogleGenAiHooks.enterAsyncLoop(functionMap);
        InferenceCall first = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContent", generate("m", config));
        CompletableFuture<GenerateContentResponse> firstHttp = new CompletableFuture<>();
        GoogleGenAiHooks.exitRoundTrip(first, firstHttp, null);
        GoogleGenAiHooks.exitAsyncLoop(previous);
        CompletableFuture<GenerateContentResponse> loop = new CompletableFuture<>();
        CompletableFuture<?> appFuture = (CompletableFuture<?>) GoogleGenAiHooks.exitGenerate(run, loop, null);
        assertNotSame(loop, appFuture);

        // the next iteration and its tool run on another thread, where the run is not current
        InferenceCall[] second = new InferenceCall[1];
        ToolCall[] tool = new ToolCall[1];
        Thread pool = new Thread(() -> {
            Object pending = GoogleGenAiHooks.enterFunctionCalls(Sdk.functionCalls("getWeather", "c1"), functionMap);
            try {
                tool[0] = GoogleGenAiHooks.enterTool(weather(), null);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
            GoogleGenAiHooks.exitTool(tool[0], null, null);
            GoogleGenAiHooks.exitFunctionCalls(pending);
            AgentRun before = GoogleGenAiHooks.enterAsyncLoop(functionMap);
            second[0] = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContent", generate("m", config));
            GoogleGenAiHooks.exitRoundTrip(second[0], Sdk.response(null, "STOP"), null);
            GoogleGenAiHooks.exitAsyncLoop(before);
        });
        pool.start();
        pool.join();
        firstHttp.complete(Sdk.functionCalls("getWeather", "c1"));
        loop.complete(Sdk.response(null, "STOP"));

        assertSame(run, observer.parentOf(first), "current on the app's thread");
        assertSame(run, second[0].parent, "named explicitly on the pool thread");
        assertSame(run, tool[0].parent);
        assertNull(observer.parentOf(second[0]), "nothing was current on the pool thread");
        assertEquals(1, observer.endsOf(run).size());
        assertTrue(appFuture.isDone());

        // once the run ended, its function map no longer leads to it
        AgentRun none = GoogleGenAiHooks.enterAsyncLoop(functionMap);
        InferenceCall unrelated = GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateGenerateContent", generate("m", null));
        assertNull(unrelated.parent);
        GoogleGenAiHooks.exitRoundTrip(unrelated, null, null);
        GoogleGenAiHooks.exitAsyncLoop(none);
    }

    @Test
    void unknownMethodStartsNothing() {
        assertNull(GoogleGenAiHooks.enterRoundTrip(CLIENT, "privateCountTokens", generate("m", null)));
        Object result = new Object();
        assertSame(result, GoogleGenAiHooks.exitRoundTrip(null, result, null));
        assertTrue(observer.started.isEmpty());
    }
}
