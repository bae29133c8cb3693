package dev.llmlens.instrumentation.bedrock.helper;

import java.lang.reflect.Field;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkClientConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/** Real SDK objects for the tests. */
final class Sdk {

    private Sdk() {}

    /** The tests run once on the oldest SDK (compile class path) and once on the newest (see the pom). */
    static boolean newest() {
        return "newest".equals(System.getProperty("bedrock.sdk"));
    }

    /** The configuration a real client built by the SDK's builder holds, as the advice reads it. */
    static SdkClientConfiguration clientConfiguration(URI endpointOverride, Region region) throws Exception {
        var builder = BedrockRuntimeClient.builder().region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")));
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        try (BedrockRuntimeClient client = builder.build()) {
            Field field = client.getClass().getDeclaredField("clientConfiguration");
            field.setAccessible(true);
            return (SdkClientConfiguration) field.get(client);
        }
    }

    /** Usage with cache counts, which only newer SDKs model: set through their builder by name. */
    static TokenUsage usageWithCache(int input, int output, int cacheRead, int cacheWrite) throws Exception {
        TokenUsage.Builder builder = TokenUsage.builder().inputTokens(input).outputTokens(output)
                .totalTokens(input + output + cacheRead + cacheWrite);
        if (newest()) {
            TokenUsage.Builder.class.getMethod("cacheReadInputTokens", Integer.class).invoke(builder, cacheRead);
            TokenUsage.Builder.class.getMethod("cacheWriteInputTokens", Integer.class).invoke(builder, cacheWrite);
        }
        return builder.build();
    }
}
