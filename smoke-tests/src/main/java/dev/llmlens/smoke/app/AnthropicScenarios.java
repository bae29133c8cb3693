package dev.llmlens.smoke.app;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClientAsync;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.BetaToolRunner;
import com.anthropic.models.beta.messages.BetaMessage;
import com.anthropic.models.beta.messages.BetaRawMessageStreamEvent;
import com.anthropic.models.beta.messages.ToolRunnerCreateParams;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An ordinary app on the real anthropic-java SDK; it knows nothing about llm-lens. Each scenario
 * prints one deterministic line, so a run with the agent can be diffed against a run without it.
 * Runs on 2.52.0 and 3.x alike (it is compiled against the newest and only uses what both have,
 * except {@code sdk-traced}, which looks for the 3.x telemetry options first). After the scenarios
 * it stays alive until stdin closes, so a test can scrape /metrics.
 */
public final class AnthropicScenarios extends ScenarioApp {

    /** Scenario name → HTTP requests (= model calls) it makes. */
    public static final Map<String, Integer> SCENARIOS = new LinkedHashMap<>();

    static {
        for (String name : List.of("messages-sync", "messages-async", "messages-stream", "messages-stream-closed-early",
                "messages-stream-async", "beta-messages-sync", "beta-messages-stream", "error-429", "error-500",
                "error-broken-stream", "sdk-traced")) {
            SCENARIOS.put(name, 1);
        }
        // one tool round, then the final answer
        for (String name : List.of("tool-runner", "tool-runner-failing-tool", "tool-runner-streaming")) {
            SCENARIOS.put(name, 2);
        }
    }

    private final String baseUrl;
    private final AnthropicClient client;
    private final AnthropicClientAsync asyncClient;

    public AnthropicScenarios(String baseUrl, PrintStream out) {
        super(out);
        this.baseUrl = baseUrl;
        this.client = AnthropicOkHttpClient.builder().baseUrl(baseUrl).apiKey("sk-ant-test").maxRetries(0).build();
        this.asyncClient = AnthropicOkHttpClientAsync.builder().baseUrl(baseUrl).apiKey("sk-ant-test").maxRetries(0).build();
    }

    public static void main(String[] args) throws Exception {
        ScenarioApp.main(args, SCENARIOS.keySet(), baseUrl -> new AnthropicScenarios(baseUrl, System.out));
    }

    /** OkHttp's non-daemon threads would keep the JVM alive for a minute otherwise. */
    @Override
    public void close() {
        client.close();
        asyncClient.close();
    }

    @Override
    protected String failure(Exception e) {
        return e.getClass().getName() + (e instanceof AnthropicServiceException s ? " status=" + s.statusCode() : "");
    }

    @Override
    protected String call(String name) throws Exception {
        switch (name) {
            case "messages-sync":
                return describe(client.messages().create(message("claude-sonnet-4-5")
                        .stopSequences(List.of("END"))
                        // 3.x has no typed temperature/top_p; the body property works on every version
                        .putAdditionalBodyProperty("temperature", JsonValue.from(0.2))
                        .putAdditionalBodyProperty("top_p", JsonValue.from(0.9))
                        .build()));
            case "messages-async":
                return describe(asyncClient.messages().create(message("claude-haiku-4-5").build()).get());
            case "messages-stream":
                return read(client.messages().createStreaming(message("claude-sonnet-4-5").build()), -1);
            case "messages-stream-closed-early":
                return read(client.messages().createStreaming(message("claude-3-5-haiku").build()), 2);
            case "messages-stream-async": {
                StringBuilder text = new StringBuilder();
                AsyncStreamResponse<RawMessageStreamEvent> stream =
                        asyncClient.messages().createStreaming(message("claude-sonnet-4-5").build());
                stream.subscribe(event -> event.contentBlockDelta()
                        .flatMap(delta -> delta.delta().text()).ifPresent(t -> text.append(t.text())));
                stream.onCompleteFuture().get();
                return "streamed '" + text + "'";
            }
            case "beta-messages-sync": {
                BetaMessage message = client.beta().messages().create(betaMessage("claude-haiku-4-5").build());
                return message.id() + " " + message.model().asString() + " " + message.stopReason().map(Object::toString).orElse("");
            }
            case "beta-messages-stream":
                try (StreamResponse<BetaRawMessageStreamEvent> stream =
                             client.beta().messages().createStreaming(betaMessage("claude-sonnet-4-5").build())) {
                    return "streamed " + stream.stream().count() + " events";
                }
            case "error-429":
                return describe(client.messages().create(message("mock-429").build()));
            case "error-500":
                return describe(client.messages().create(message("mock-500").build()));
            case "error-broken-stream":
                return read(client.messages().createStreaming(message("mock-broken-stream").build()), -1);
            case "sdk-traced":
                return sdkTraced();
            case "tool-runner":
                return runTools(GetWeather.class, false);
            case "tool-runner-failing-tool":
                return runTools(LookUpStock.class, false);
            case "tool-runner-streaming":
                return runTools(GetWeather.class, true);
            default:
                throw new IllegalArgumentException("unknown scenario " + name);
        }
    }

    private static MessageCreateParams.Builder message(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(512).addUserMessage("Say hello.");
    }

    private static com.anthropic.models.beta.messages.MessageCreateParams.Builder betaMessage(String model) {
        return com.anthropic.models.beta.messages.MessageCreateParams.builder().model(model).maxTokens(512)
                .addUserMessage("Say hello.");
    }

    private static String describe(Message message) {
        return message.id() + " " + message.model().asString() + " " + message.stopReason().map(Object::toString).orElse("")
                + " input=" + message.usage().inputTokens() + " output=" + message.usage().outputTokens();
    }

    private static String read(StreamResponse<RawMessageStreamEvent> response, int maxEvents) {
        try (response) {
            StringBuilder text = new StringBuilder();
            var events = response.stream();
            if (maxEvents > 0) {
                events = events.limit(maxEvents);
            }
            events.forEach(event -> event.contentBlockDelta()
                    .flatMap(delta -> delta.delta().text()).ifPresent(t -> text.append(t.text())));
            return "streamed '" + text + "'";
        }
    }

    /** The SDK's beta tool runner: it calls the model, runs the tool the model asks for, and calls again. */
    private String runTools(Class<?> tool, boolean streaming) {
        BetaToolRunner runner = client.beta().messages().toolRunner(ToolRunnerCreateParams.builder()
                .initialMessageParams(betaMessage("claude-sonnet-4-5").addTool(tool).build())
                .maxIterations(5)
                .build());
        List<String> rounds = new ArrayList<>();
        if (streaming) {
            for (StreamResponse<BetaRawMessageStreamEvent> round : runner.streaming()) {
                try (round) {
                    rounds.add(round.stream().count() + " events");
                }
            }
        } else {
            for (BetaMessage message : runner) {
                rounds.add(message.stopReason().map(Object::toString).orElse("?"));
            }
        }
        return "rounds " + rounds + ", tool answered: " + runner.lastToolResponse().isPresent();
    }

    /**
     * A client with the SDK's own OpenTelemetry tracing on (3.x): the SDK emits its span, llm-lens
     * must not add a second one. On 2.x, which has no such option, an ordinary call.
     */
    private String sdkTraced() throws Exception {
        try {
            Class.forName("com.anthropic.core.opentelemetry.OpenTelemetryOptions");
        } catch (ClassNotFoundException e) {
            return describe(client.messages().create(message("claude-sonnet-4-5").build())) + ", no SDK telemetry";
        }
        return SdkTelemetry.call(baseUrl, message("claude-sonnet-4-5").build());
    }

    /** Only loaded on 3.x, where its types exist. */
    private static final class SdkTelemetry {
        static String call(String baseUrl, MessageCreateParams params) {
            List<String> spans = new java.util.concurrent.CopyOnWriteArrayList<>();
            var tracerProvider = io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                    .addSpanProcessor(new io.opentelemetry.sdk.trace.SpanProcessor() {
                        @Override
                        public void onStart(io.opentelemetry.context.Context parent, io.opentelemetry.sdk.trace.ReadWriteSpan span) { }

                        @Override
                        public boolean isStartRequired() {
                            return false;
                        }

                        @Override
                        public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {
                            spans.add(span.getName());
                        }

                        @Override
                        public boolean isEndRequired() {
                            return true;
                        }
                    }).build();
            AnthropicClient traced = AnthropicOkHttpClient.builder().baseUrl(baseUrl).apiKey("sk-ant-test").maxRetries(0)
                    .openTelemetry(com.anthropic.core.opentelemetry.OpenTelemetryOptions.builder()
                            .tracerProvider(tracerProvider).build())
                    .build();
            try {
                return describe(traced.messages().create(params)) + ", SDK spans " + spans;
            } finally {
                traced.close();
                tracerProvider.close();
            }
        }
    }

    @JsonClassDescription("Gets the current weather in a city")
    public static final class GetWeather implements Supplier<String> {
        @JsonPropertyDescription("the city")
        public String city;

        @Override
        public String get() {
            return "sunny in " + city;
        }
    }

    @JsonClassDescription("Looks up a stock price")
    public static final class LookUpStock implements Supplier<String> {
        @JsonPropertyDescription("the city of the exchange")
        public String city;

        @Override
        public String get() {
            throw new IllegalStateException("the quote service is down");
        }
    }
}
