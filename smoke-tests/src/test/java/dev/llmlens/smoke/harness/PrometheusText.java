package dev.llmlens.smoke.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scrape of a /metrics endpoint, parsed from the Prometheus text format into samples. */
public final class PrometheusText {

    public record Sample(String name, Map<String, String> labels, double value, String exemplar) {}

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*?)\\})?\\s+(\\S+)(.*)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;
    private final List<Sample> samples = new ArrayList<>();

    public PrometheusText(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            String rest = m.group(5).trim();
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4)), rest.startsWith("#") ? rest : null));
        }
    }

    public static PrometheusText scrape(int port, boolean openMetrics) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (openMetrics) {
            request.header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + response.statusCode());
        }
        return new PrometheusText(response.body());
    }

    /** Samples named {@code name} whose labels include every entry of {@code labels}. */
    public List<Sample> find(String name, Map<String, String> labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet())) {
                found.add(s);
            }
        }
        return found;
    }

    /** The value of the one sample matching; fails when none or several match. */
    public double value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + name + labels + ", found " + found + "\n" + text);
        }
        return found.get(0).value;
    }

    public double sum(String name, Map<String, String> labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    public String text() {
        return text;
    }
}
