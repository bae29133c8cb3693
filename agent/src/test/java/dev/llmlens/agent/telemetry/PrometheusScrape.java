package dev.llmlens.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmlens.agent.metrics.LlmMetrics;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One in-process scrape of a registry, parsed into samples, so tests assert what Prometheus would read. */
record PrometheusScrape(String text, List<Sample> samples) {

    record Sample(String name, Map<String, String> labels, double value) {}

    static PrometheusScrape of(LlmMetrics metrics) {
        return parse(write(metrics, false));
    }

    /** The OpenMetrics form: the only one that shows exemplars. */
    static String openMetrics(LlmMetrics metrics) {
        return write(metrics, true);
    }

    private static String write(LlmMetrics metrics, boolean openMetrics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (openMetrics) {
                new OpenMetricsTextFormatWriter(false, false).write(out, metrics.registry().scrape());
            } else {
                new PrometheusTextFormatWriter(false).write(out, metrics.registry().scrape());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            Map<String, String> labels = new LinkedHashMap<>();
            String rest;
            String name;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int i = brace + 1;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq);
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2; // skip ="
                    for (; line.charAt(j) != '"'; j++) {
                        char c = line.charAt(j);
                        value.append(c == '\\' ? line.charAt(++j) : c);
                    }
                    labels.put(key, value.toString());
                    i = line.charAt(j + 1) == ',' ? j + 2 : j + 1;
                }
                rest = line.substring(i + 1).trim();
            } else {
                name = line.substring(0, space);
                rest = line.substring(space + 1).trim();
            }
            samples.add(new Sample(name, labels, Double.parseDouble(rest.split(" ")[0])));
        }
        return new PrometheusScrape(text, samples);
    }

    /** The samples of {@code name} that carry at least the given labels. */
    List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /** The value of the one sample of {@code name} matching {@code labels}; fails if there is none or several. */
    double value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            fail("expected one sample " + name + labels + ", found " + found + " in\n" + text);
        }
        return found.get(0).value;
    }

    void assertValue(double expected, String name, Map<String, String> labels) {
        assertEquals(expected, value(name, labels), 1e-9, () -> name + labels + " in\n" + text);
    }
}
