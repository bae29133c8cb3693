package dev.llmlens.agent.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts spans that never reached the backend: batches the exporter failed to deliver, and spans the
 * batch processor dropped because its bounded queue was full (read from the SDK's own processor
 * metrics on each scrape, through a metric reader that exports nowhere).
 */
final class ExportHealth implements MetricReader {

    private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

    private final AtomicLong failedExports = new AtomicLong();
    private volatile CollectionRegistration registration;

    SpanExporter countFailures(SpanExporter exporter) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                CompletableResultCode result = exporter.export(spans);
                int size = spans.size();
                result.whenComplete(() -> {
                    if (!result.isSuccess()) {
                        failedExports.addAndGet(size);
                    }
                });
                return result;
            }

            @Override
            public CompletableResultCode flush() {
                return exporter.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return exporter.shutdown();
            }

            @Override
            public String toString() {
                return exporter.toString();
            }
        };
    }

    long droppedSpans() {
        return failedExports.get() + droppedFromQueue();
    }

    private long droppedFromQueue() {
        CollectionRegistration current = registration;
        if (current == null) {
            return 0;
        }
        long dropped = 0;
        for (MetricData metric : current.collectAllMetrics()) {
            if (metric.getName().equals("processedSpans")) {
                for (LongPointData point : metric.getLongSumData().getPoints()) {
                    if (Boolean.TRUE.equals(point.getAttributes().get(DROPPED))) {
                        dropped += point.getValue();
                    }
                }
            }
        }
        return dropped;
    }

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public MemoryMode getMemoryMode() {
        return MemoryMode.IMMUTABLE_DATA;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
