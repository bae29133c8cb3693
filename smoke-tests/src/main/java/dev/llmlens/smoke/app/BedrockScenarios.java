package dev.llmlens.smoke.app;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * An ordinary app on the real AWS SDK Bedrock Runtime client: it knows nothing about llm-lens. Each
 * scenario is one model call (one HTTP round trip) and prints a deterministic line, so a run with the
 * agent can be diffed against a run without it. It keeps running until stdin closes.
 */
public final class BedrockScenarios extends ScenarioApp {

    public static final String SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    public static final String HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0";
    public static final String NOVA = "us.amazon.nova-pro-v1:0";
    public static final String TITAN_EMBED = "amazon.titan-embed-text-v2:0";
    public static final String LLAMA = "meta.llama3-3-70b-instruct-v1:0";
    public static final String MISTRAL = "mistral.mistral-large-2407-v1:0";

    /** Every scenario makes exactly one model call. */
    public static final List<String> SCENARIOS = List.of("converse-sync", "converse-async", "converse-stream",
            "invoke-anthropic", "invoke-titan-embed", "invoke-llama-async", "invoke-mistral", "invoke-stream-anthropic",
            "error-429", "error-500");

    private final BedrockRuntimeClient client;
    private final BedrockRuntimeAsyncClient asyncClient;

    public BedrockScenarios(String endpoint) {
        super(System.out);
        AwsBasicCredentials credentials = AwsBasicCredentials.create("AKIDMOCK", "mock-secret");
        // RetryPolicy.none() exists in the whole supported range (retryStrategy came later): a 429 is one request
        client = BedrockRuntimeClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build();
        asyncClient = BedrockRuntimeAsyncClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                // the service model asks for HTTP/2; the local mock (JDK HttpServer) speaks HTTP/1.1 only
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build();
    }

    public static void main(String[] args) throws Exception {
        ScenarioApp.main(args, SCENARIOS, BedrockScenarios::new);
    }

    @Override
    public void close() {
        client.close();
        asyncClient.close();
    }

    @Override
    protected String failure(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getName() + (cause instanceof SdkServiceException s ? " status=" + s.statusCode() : "");
    }

    @Override
    protected String call(String name) throws Exception {
        return switch (name) {
            case "converse-sync" -> describe(client.converse(r -> r.modelId(SONNET).messages(userMessage())
                    .inferenceConfig(c -> c.maxTokens(200).temperature(0.3f).topP(0.9f))));
            case "converse-async" -> describe(asyncClient.converse(r -> r.modelId(NOVA).messages(userMessage())).get());
            case "converse-stream" -> {
                List<String> seen = new ArrayList<>();
                asyncClient.converseStream(r -> r.modelId(SONNET).messages(userMessage()),
                        ConverseStreamResponseHandler.builder().subscriber(ConverseStreamResponseHandler.Visitor.builder()
                                .onContentBlockDelta(e -> seen.add(e.delta().text()))
                                .onMessageStop(e -> seen.add("[" + e.stopReasonAsString() + "]"))
                                .onMetadata(e -> seen.add("[usage " + e.usage().outputTokens() + "]"))
                                .build()).build()).get();
                yield String.join("", seen);
            }
            case "invoke-anthropic" -> text(client.invokeModel(r -> r.modelId(HAIKU).guardrailIdentifier("gr-mock1").guardrailVersion("2").body(body(
                    "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":300,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"))));
            case "invoke-titan-embed" -> text(client.invokeModel(r -> r.modelId(TITAN_EMBED).body(body(
                    "{\"inputText\":\"Say hello\",\"dimensions\":256,\"normalize\":true}")))).length() + " chars";
            case "invoke-llama-async" -> text(asyncClient.invokeModel(r -> r.modelId(LLAMA).body(body(
                    "{\"prompt\":\"<|begin_of_text|>Say hello\",\"max_gen_len\":128,\"temperature\":0.5}"))).get());
            case "invoke-mistral" -> text(client.invokeModel(r -> r.modelId(MISTRAL).body(body(
                    "{\"prompt\":\"<s>[INST] Say hello [/INST]\",\"max_tokens\":64}"))));
            case "invoke-stream-anthropic" -> {
                StringBuilder chunks = new StringBuilder();
                asyncClient.invokeModelWithResponseStream(r -> r.modelId(SONNET).body(body(
                        "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":300,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}")),
                        InvokeModelWithResponseStreamResponseHandler.builder().subscriber(
                                InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                                        .onChunk(c -> chunks.append(c.bytes().asUtf8String().length()).append(' '))
                                        .build()).build()).get();
                yield "chunk sizes " + chunks.toString().trim();
            }
            case "error-429" -> describe(client.converse(r -> r.modelId("mock-429").messages(userMessage())));
            case "error-500" -> text(client.invokeModel(r -> r.modelId("mock-500").body(body("{\"prompt\":\"x\"}"))));
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        };
    }

    private static Message userMessage() {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("Say hello")).build();
    }

    private static SdkBytes body(String json) {
        return SdkBytes.fromString(json, StandardCharsets.UTF_8);
    }

    private static String describe(ConverseResponse response) {
        return response.output().message().content().get(0).text() + " [" + response.stopReasonAsString() + "] usage "
                + response.usage().inputTokens() + "/" + response.usage().outputTokens();
    }

    private static String text(InvokeModelResponse response) {
        return response.body().asUtf8String().replace("\n", " ");
    }
}
