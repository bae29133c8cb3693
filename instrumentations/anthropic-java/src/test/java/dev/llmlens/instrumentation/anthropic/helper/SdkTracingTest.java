package dev.llmlens.instrumentation.anthropic.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.ClientOptions;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK traces a call itself exactly when its own decision says so. Runs on both SDK lines (see the
 * module's pom): on 2.x there is no SDK telemetry; on 3.x the options are built by reflection because
 * the tests compile against 2.x.
 */
class SdkTracingTest {

    private static final String SDK_VERSION = System.getProperty("anthropic.expected.version");

    @AfterEach
    void forgetGlobal() {
        GlobalOpenTelemetry.resetForTest();
    }

    @Test
    void testsRunOnTheSdkVersionTheyAreMeantFor() throws Exception {
        Path jar = Path.of(ClientOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertEquals("anthropic-java-core-" + SDK_VERSION + ".jar", jar.getFileName().toString());
    }

    private static boolean sdkHasTelemetry() {
        return !SDK_VERSION.startsWith("2.");
    }

    private static AnthropicClient client(Object telemetryOptions) throws ReflectiveOperationException {
        AnthropicOkHttpClient.Builder builder = AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:1").apiKey("k");
        if (telemetryOptions != null) {
            builder.getClass().getMethod("openTelemetry", telemetryOptions.getClass()).invoke(builder, telemetryOptions);
        }
        return builder.build();
    }

    /** {@code OpenTelemetryOptions.builder().tracerProvider(provider).traces(traces).build()} on 3.x. */
    private static Object telemetryOptions(TracerProvider provider, boolean traces) throws ReflectiveOperationException {
        Object builder = Class.forName("com.anthropic.core.opentelemetry.OpenTelemetryOptions").getMethod("builder").invoke(null);
        builder.getClass().getMethod("tracerProvider", TracerProvider.class).invoke(builder, provider);
        builder.getClass().getMethod("traces", boolean.class).invoke(builder, traces);
        return builder.getClass().getMethod("build").invoke(builder);
    }

    private static boolean tracesItself(AnthropicClient client) throws ReflectiveOperationException {
        try {
            return SdkTracing.tracesItself(AnthropicHooksTest.optionsOf(client.messages()));
        } finally {
            client.close();
        }
    }

    @Test
    void defaultClientWithoutAGlobalOpenTelemetryIsNotTracedByTheSdk() throws Exception {
        assertFalse(tracesItself(client(null)));
    }

    @Test
    void globalOpenTelemetryTurnsTheSdksOwnSpansOnIn3x() throws Exception {
        GlobalOpenTelemetry.set(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build()).build());
        assertEquals(sdkHasTelemetry(), tracesItself(client(null)),
                "3.x: traces are on by default and use the global provider; 2.x has no telemetry");
    }

    @Test
    void explicitTracerProviderIsTracedUnlessTracesAreOff() throws Exception {
        if (!sdkHasTelemetry()) {
            assertFalse(tracesItself(client(null)));
            return;
        }
        SdkTracerProvider provider = SdkTracerProvider.builder().build();
        assertTrue(tracesItself(client(telemetryOptions(provider, true))));
        assertFalse(tracesItself(client(telemetryOptions(provider, false))));
        assertFalse(tracesItself(client(telemetryOptions(TracerProvider.noop(), true))), "a no-op provider records nothing");
    }
}
