package dev.llmlens.smoke.app;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Chat;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Tool;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordinary app on the real google-genai SDK: it knows nothing about llm-lens. Each scenario prints
 * a deterministic line, so a run with the agent can be diffed against a run without it. After the
 * scenarios it keeps running until stdin closes, so a test can scrape /metrics while the app is alive.
 */
public final class GoogleGenAiScenarios extends ScenarioApp {

    /** Scenario name → HTTP round trips it makes (= inference spans). */
    public static final Map<String, Integer> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("generate-sync", 1);
        SCENARIOS.put("generate-with-options", 1);
        SCENARIOS.put("generate-async", 1);
        SCENARIOS.put("generate-stream", 1);
        SCENARIOS.put("generate-stream-closed-early", 1);
        SCENARIOS.put("generate-stream-async", 1);
        SCENARIOS.put("chat-session", 2);
        SCENARIOS.put("chat-session-stream", 1);
        SCENARIOS.put("embed", 1);
        SCENARIOS.put("afc-sync", 2);
        SCENARIOS.put("afc-async", 2);
        SCENARIOS.put("afc-tool-error", 2);
        SCENARIOS.put("error-429", 1);
        SCENARIOS.put("error-500", 1);
        SCENARIOS.put("vertex-generate", 1);
        SCENARIOS.put("vertex-embed", 1);
    }

    public static final String MODEL = "gemini-2.5-flash";
    public static final String EMBEDDING_MODEL = "gemini-embedding-001";

    private final Client gemini;
    private final Client vertex;

    public GoogleGenAiScenarios(String baseUrl, PrintStream out) {
        super(out);
        // one attempt: the SDK retries 429 and 5xx by default, which would make error tests slow
        HttpOptions http = HttpOptions.builder().baseUrl(baseUrl)
                .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build();
        this.gemini = Client.builder().apiKey("test-key").httpOptions(http).build();
        // Vertex AI mode with a fixed token: no Google credentials needed to talk to the mock
        GoogleCredentials token = GoogleCredentials.create(new AccessToken("test-token", new Date(4_102_444_800_000L)));
        this.vertex = Client.builder().vertexAI(true).project("test-project").location("us-central1")
                .credentials(token).httpOptions(http).build();
    }

    public static void main(String[] args) throws Exception {
        ScenarioApp.main(args, SCENARIOS.keySet(), baseUrl -> new GoogleGenAiScenarios(baseUrl, System.out));
    }

    @Override
    public void close() {
        gemini.close();
        vertex.close();
    }

    @Override
    protected String failure(Exception e) {
        Throwable cause = e.getCause() instanceof ApiException ? e.getCause() : e;
        return cause.getClass().getName() + (cause instanceof ApiException api ? " code=" + api.code() : "");
    }

    @Override
    protected String call(String name) throws Exception {
        switch (name) {
            case "generate-sync":
                return describe(gemini.models.generateContent(MODEL, "Say hello.", null));
            case "generate-with-options":
                return describe(gemini.models.generateContent(MODEL, "Say hello.", GenerateContentConfig.builder()
                        .temperature(0.25f).topP(0.5f).maxOutputTokens(100).seed(7).stopSequences(List.of("END"))
                        .responseMimeType("application/json").build()));
            case "generate-async":
                return describe(gemini.async.models.generateContent(MODEL, "Say hello.", null).get());
            case "generate-stream":
                try (ResponseStream<GenerateContentResponse> stream = gemini.models.generateContentStream(MODEL, "Say hello.", null)) {
                    return read(stream, Integer.MAX_VALUE);
                }
            case "generate-stream-closed-early":
                try (ResponseStream<GenerateContentResponse> stream = gemini.models.generateContentStream(MODEL, "Say hello.", null)) {
                    return read(stream, 1);
                }
            case "generate-stream-async":
                try (ResponseStream<GenerateContentResponse> stream =
                             gemini.async.models.generateContentStream(MODEL, "Say hello.", null).get()) {
                    return read(stream, Integer.MAX_VALUE);
                }
            case "chat-session": {
                Chat chat = gemini.chats.create(MODEL);
                String first = describe(chat.sendMessage("Say hello."));
                return first + " | " + describe(chat.sendMessage("Again.")) + " history=" + chat.getHistory(false).size();
            }
            case "chat-session-stream": {
                Chat chat = gemini.chats.create(MODEL);
                try (ResponseStream<GenerateContentResponse> stream = chat.sendMessageStream("Say hello.")) {
                    return read(stream, Integer.MAX_VALUE) + " history=" + chat.getHistory(false).size();
                }
            }
            case "embed":
                return describe(gemini.models.embedContent(EMBEDDING_MODEL, "hello world", null));
            case "afc-sync":
                return describe(gemini.models.generateContent(MODEL, "Weather in Paris?", tools("getWeather")));
            case "afc-async":
                return describe(gemini.async.models.generateContent(MODEL, "Weather in Paris?", tools("getWeather")).get());
            case "afc-tool-error":
                return describe(gemini.models.generateContent(MODEL, "Look it up.", tools("failingLookup")));
            case "error-429":
                return describe(gemini.models.generateContent("mock-429", "Say hello.", null));
            case "error-500":
                return describe(gemini.models.generateContent("mock-500", "Say hello.", null));
            case "vertex-generate":
                return describe(vertex.models.generateContent(MODEL, "Say hello.", null));
            case "vertex-embed":
                return describe(vertex.models.embedContent(EMBEDDING_MODEL, "hello world", null));
            default:
                throw new IllegalArgumentException("unknown scenario " + name);
        }
    }

    /** The SDK's automatic function calling: it calls this class's static method itself. */
    private static GenerateContentConfig tools(String function) throws NoSuchMethodException {
        Method method = GoogleGenAiScenarios.class.getMethod(function, String.class);
        return GenerateContentConfig.builder().tools(Tool.builder().functions(method).build()).build();
    }

    public static String getWeather(String city) {
        return "sunny in " + city;
    }

    public static String failingLookup(String city) {
        throw new IllegalStateException("lookup service down for " + city);
    }

    private static String read(ResponseStream<GenerateContentResponse> stream, int maxChunks) {
        StringBuilder text = new StringBuilder();
        Iterator<GenerateContentResponse> chunks = stream.iterator();
        for (int i = 0; i < maxChunks && chunks.hasNext(); i++) {
            text.append(chunks.next().text());
        }
        return "streamed '" + text + "'";
    }

    private static String describe(GenerateContentResponse r) {
        return r.responseId().orElse("-") + " " + r.modelVersion().orElse("-") + " '" + r.text() + "' tokens="
                + r.usageMetadata().flatMap(u -> u.totalTokenCount()).orElse(-1)
                + " afc=" + r.automaticFunctionCallingHistory().map(List::size).orElse(0);
    }

    private static String describe(EmbedContentResponse r) {
        return "dims=" + r.embeddings().map(e -> e.get(0).values().map(List::size).orElse(0)).orElse(0);
    }
}
