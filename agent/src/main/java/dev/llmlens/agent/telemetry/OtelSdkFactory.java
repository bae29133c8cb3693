package dev.llmlens.agent.telemetry;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.config.Config;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the bundled OpenTelemetry SDK through its own autoconfiguration, so every standard
 * {@code otel.*} property and {@code OTEL_*} variable works, with the OpenTelemetry javaagent's
 * user-facing defaults (http/protobuf to :4318, where the SDK alone would pick gRPC to :4317) and
 * metrics/logs exporters off (Prometheus serves
 * the metrics; Jaeger takes traces only).
 */
final class OtelSdkFactory {

    record Sdk(OpenTelemetrySdk sdk, Resource resource, String tracesEndpoint) {}

    private OtelSdkFactory() {}

    /** Without any exporter: what the agent falls back to when the user's exporter settings cannot work. */
    static Sdk withoutExport(String why) {
        return new Sdk(OpenTelemetrySdk.builder().build(), Resource.getDefault(), "off (" + why + ")");
    }

    static Sdk create(Config config, ExportHealth health) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        if (config.raw("otel.service.name") == null
                && !String.valueOf(config.raw("otel.resource.attributes")).contains("service.name=")) {
            defaults.put("otel.service.name", defaultServiceName());
        }
        String[] endpoint = {"none"};
        Resource[] resource = {Resource.getDefault()};
        AutoConfiguredOpenTelemetrySdk configured = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addPropertiesCustomizer(OtelSdkFactory::withoutGrpc)
                .addSpanExporterCustomizer((exporter, properties) -> {
                    endpoint[0] = describe(properties);
                    return health.countFailures(exporter);
                })
                .addResourceCustomizer((built, properties) -> resource[0] = built)
                .addMeterProviderCustomizer((builder, properties) -> builder.registerMetricReader(health))
                .disableShutdownHook()
                .build();
        return new Sdk(configured.getOpenTelemetrySdk(), resource[0], endpoint[0]);
    }

    /** gRPC needs OkHttp or grpc-java, which would double the jar: say so and use http/protobuf. */
    private static Map<String, String> withoutGrpc(ConfigProperties properties) {
        Map<String, String> overrides = new HashMap<>();
        for (String key : new String[] {"otel.exporter.otlp.protocol", "otel.exporter.otlp.traces.protocol"}) {
            if ("grpc".equals(properties.getString(key))) {
                AgentLog.warnOnce("grpc", key + "=grpc is not supported by llm-lens (it bundles only the JDK HTTP"
                        + " sender); exporting http/protobuf instead. Point otel.exporter.otlp.endpoint at the"
                        + " collector's OTLP/HTTP port (4318).");
                overrides.put(key, "http/protobuf");
            }
        }
        return overrides;
    }

    private static String describe(ConfigProperties properties) {
        String exporter = properties.getString("otel.traces.exporter", "otlp");
        if (!exporter.contains("otlp")) {
            return exporter;
        }
        String endpoint = properties.getString("otel.exporter.otlp.traces.endpoint");
        if (endpoint == null) {
            endpoint = properties.getString("otel.exporter.otlp.endpoint", "http://localhost:4318");
            endpoint = endpoint.endsWith("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces";
        }
        return endpoint;
    }

    /** The jar or main class the JVM was started with, better than OpenTelemetry's unknown_service:java. */
    static String defaultServiceName() {
        String command = System.getProperty("sun.java.command", "").trim();
        int jarEnd = command.indexOf(".jar");
        // a jar path may contain spaces; a main class name cannot
        String first = jarEnd > 0 && (jarEnd + 4 == command.length() || command.charAt(jarEnd + 4) == ' ')
                ? command.substring(0, jarEnd + 4)
                : command.isEmpty() ? "" : command.split("\\s+")[0];
        if (first.endsWith(".jar")) {
            String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
            return file.substring(0, file.length() - 4);
        }
        if (!first.isEmpty()) {
            return first.substring(first.lastIndexOf('.') + 1);
        }
        return "unknown_service:java";
    }
}
