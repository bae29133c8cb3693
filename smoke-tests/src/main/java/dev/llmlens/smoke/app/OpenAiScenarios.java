package dev.llmlens.smoke.app;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmlens.smoke.mock.MockOpenAiServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An ordinary app on the real openai-java SDK: it knows nothing about llm-lens. Each scenario is one
 * model call (one HTTP round trip) and prints a deterministic line, so a run with the agent can be
 * diffed against a run without it. After the scenarios it keeps running until stdin closes, so a
 * test can scrape /metrics while the app is alive.
 */
public final class OpenAiScenarios extends ScenarioApp {

    /** Scenario name → model calls (= HTTP requests) it makes. */
    public static final Map<String, Integer> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("own-libraries", 0);
        for (String name : List.of("chat-sync", "chat-from-env", "chat-sync-with-options", "chat-async", "chat-stream-usage",
                "chat-stream-no-usage", "chat-stream-closed-early", "chat-stream-async", "responses-sync",
                "responses-stream", "responses-async", "embeddings-sync", "embeddings-async", "chat-raw", "chat-raw-stream",
                "azure-chat", "chat-unpriced", "chat-in-app-trace", "error-429", "error-500", "error-broken-stream")) {
            SCENARIOS.put(name, 1);
        }
    }

    /**
     * Run only when named (not part of the default set, whose spans and metrics other tests count): the
     * content-capture run. {@code chat-secret} quotes the key given as -Dsmoke.secret in its prompt;
     * {@code chat-tool-round-trip} is two calls, the model asking for a tool and the answer to its result.
     */
    public static final List<String> CONTENT_SCENARIOS = List.of("chat-secret", "chat-stream-usage", "responses-sync",
            "responses-stream", "chat-tool-round-trip", "embeddings-sync");
    public static final String TOOL_RESULT = "rainy, 14 C";

    private final String baseUrl;
    private final OpenAIClient client;
    private final OpenAIClientAsync asyncClient;

    public OpenAiScenarios(String baseUrl, PrintStream out) {
        super(out);
        this.baseUrl = baseUrl;
        this.client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey("sk-test").maxRetries(0).build();
        this.asyncClient = OpenAIOkHttpClientAsync.builder().baseUrl(baseUrl).apiKey("sk-test").maxRetries(0).build();
    }

    public static void main(String[] args) throws Exception {
        ScenarioApp.main(args, SCENARIOS.keySet(), baseUrl -> new OpenAiScenarios(baseUrl, System.out));
    }

    /** OkHttp's non-daemon threads would keep the JVM alive for a minute otherwise. */
    @Override
    public void close() {
        client.close();
        asyncClient.close();
    }

    @Override
    protected String failure(Exception e) {
        return e.getClass().getName() + " "
                + (e instanceof com.openai.errors.OpenAIServiceException s ? "status=" + s.statusCode() : "");
    }

    @Override
    protected String call(String name) throws Exception {
        switch (name) {
            case "own-libraries":
                return OwnLibraries.use();
            case "chat-from-env": {
                // fromEnv() reads OPENAI_BASE_URL / OPENAI_API_KEY, or these system properties
                System.setProperty("openai.baseUrl", baseUrl);
                System.setProperty("openai.apiKey", "sk-from-env");
                OpenAIClient fromEnv = OpenAIOkHttpClient.fromEnv();
                try {
                    return describe(fromEnv.chat().completions().create(chat("gpt-4o-mini").build()));
                } finally {
                    fromEnv.close();
                }
            }
            case "chat-sync":
                return describe(client.chat().completions().create(chat("gpt-4o-mini").build()));
            case "chat-sync-with-options":
                return describe(client.withOptions(o -> o.timeout(Duration.ofSeconds(20))).chat().completions()
                        .create(chat("gpt-4o").temperature(0.2).topP(0.9).maxCompletionTokens(100L).seed(7L)
                                .stopOfStrings(List.of("END")).frequencyPenalty(0.1).presencePenalty(0.3).build()));
            case "chat-async":
                return describe(asyncClient.chat().completions().create(chat("gpt-4o-mini").build()).get());
            case "chat-stream-usage":
                return readStream(client.chat().completions().createStreaming(chat("gpt-4o-mini")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build()), -1);
            case "chat-stream-no-usage":
                return readStream(client.chat().completions().createStreaming(chat("gpt-4o-mini").build()), -1);
            case "chat-stream-closed-early":
                return readStream(client.chat().completions().createStreaming(chat("gpt-4o-mini")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build()), 2);
            case "chat-stream-async": {
                StringBuilder text = new StringBuilder();
                AsyncStreamResponse<ChatCompletionChunk> stream = asyncClient.chat().completions().createStreaming(
                        chat("gpt-4o-mini").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
                stream.subscribe(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
                stream.onCompleteFuture().get();
                return "streamed '" + text + "'";
            }
            case "responses-sync":
                return describe(client.responses().create(responses("gpt-4.1-mini")));
            case "responses-stream":
                try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(responses("gpt-4.1-mini"))) {
                    String text = stream.stream().map(e -> e.outputTextDelta().map(d -> d.delta()).orElse(""))
                            .collect(Collectors.joining());
                    return "streamed '" + text + "'";
                }
            case "responses-async":
                return describe(asyncClient.responses().create(responses("gpt-4.1-mini")).get());
            case "embeddings-sync":
                return describe(client.embeddings().create(embedding()));
            case "embeddings-async":
                return describe(asyncClient.embeddings().create(embedding()).get());
            case "chat-raw":
                return "raw status " + client.chat().completions().withRawResponse().create(chat("gpt-4o-mini").build()).statusCode();
            case "chat-raw-stream": {
                var raw = client.chat().completions().withRawResponse().createStreaming(chat("gpt-4o-mini")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
                try (raw) {
                    return "raw status " + raw.statusCode() + ", " + readStream(raw.parse(), -1);
                }
            }
            case "azure-chat":
                OpenAIClient azure = OpenAIOkHttpClient.builder().baseUrl(baseUrl.replace("/v1", ""))
                        .credential(AzureApiKeyCredential.create("azure-key"))
                        .azureServiceVersion(AzureOpenAIServiceVersion.fromString("2024-10-21"))
                        // a local host is only treated as Azure with the legacy /openai/deployments paths
                        .azureUrlPathMode(AzureUrlPathMode.LEGACY)
                        .maxRetries(0).build();
                try {
                    return describe(azure.chat().completions().create(chat("gpt-4o-mini").build()));
                } finally {
                    azure.close();
                }
            case "chat-secret":
                return describe(client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                        .addSystemMessage("You are terse.")
                        .addUserMessage("My key is " + System.getProperty("smoke.secret") + ". Say hello.").build()));
            case "chat-tool-round-trip":
                return toolRoundTrip();
            case "chat-in-app-trace":
                return OwnLibraries.inOwnTrace(() -> describe(client.chat().completions().create(chat("gpt-4o-mini").build())));
            case "chat-unpriced":
                return describe(client.chat().completions().create(chat("acme-private-model").build()));
            case "error-429":
                return describe(client.chat().completions().create(chat("mock-429").build()));
            case "error-500":
                return describe(client.chat().completions().create(chat("mock-500").build()));
            case "error-broken-stream":
                return readStream(client.chat().completions().createStreaming(chat("mock-broken-stream").build()), -1);
            default:
                throw new IllegalArgumentException("unknown scenario " + name);
        }
    }

    private String toolRoundTrip() {
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model(MockOpenAiServer.MODEL_TOOL_CALLS)
                .addUserMessage("Weather in Paris?")
                .addFunctionTool(FunctionDefinition.builder().name("get_weather").description("Weather for a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build())
                        .build())
                .build();
        ChatCompletionMessage request = client.chat().completions().create(ask).choices().get(0).message();
        ChatCompletionMessageToolCall toolCall = request.toolCalls().orElseThrow().get(0);
        String id = toolCall.asFunction().id();
        ChatCompletion answer = client.chat().completions().create(ask.toBuilder().addMessage(request)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(id).content(TOOL_RESULT).build()).build());
        return toolCall.asFunction().function().name() + toolCall.asFunction().function().arguments() + " -> "
                + describe(answer);
    }

    private static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("You are terse.")
                .addUserMessage("Say hello.");
    }

    private static ResponseCreateParams responses(String model) {
        return ResponseCreateParams.builder().model(model).input("Say hello.").build();
    }

    private static EmbeddingCreateParams embedding() {
        return EmbeddingCreateParams.builder().model("text-embedding-3-small").input("hello world").build();
    }

    private static String readStream(StreamResponse<ChatCompletionChunk> response, int maxChunks) {
        try (response) {
            StringBuilder text = new StringBuilder();
            var chunks = response.stream();
            if (maxChunks > 0) {
                chunks = chunks.limit(maxChunks);
            }
            chunks.forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
            return "streamed '" + text + "'";
        }
    }

    private static String describe(ChatCompletion c) {
        return c.id() + " " + c.model() + " '" + c.choices().get(0).message().content().orElse("") + "' tokens="
                + c.usage().map(u -> u.totalTokens()).orElse(-1L);
    }

    private static String describe(Response r) {
        return r.id() + " tokens=" + r.usage().map(u -> u.totalTokens()).orElse(-1L);
    }

    private static String describe(CreateEmbeddingResponse r) {
        return r.model() + " dims=" + r.data().get(0).embedding().size() + " tokens=" + r.usage().totalTokens();
    }
}
