package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmlens.smoke.app.GoogleGenAiScenarios;
import dev.llmlens.smoke.app.OpenAiScenarios;
import dev.llmlens.smoke.app.ScenarioApp;
import dev.llmlens.smoke.harness.AppProcess;
import dev.llmlens.smoke.harness.PrometheusText;
import dev.llmlens.smoke.harness.Tools;
import dev.llmlens.smoke.mock.MockGeminiServer;
import dev.llmlens.smoke.mock.MockOpenAiServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Grafana dashboard and Prometheus rules against a real Prometheus scraping the packaged
 * agent in two sample apps (openai-java and google-genai on the local mocks).
 *
 * <p>Prometheus only sees a counter increase between two of its own scrapes: a series first scraped at
 * its final value has rate() and increase() 0 (2.42 has no created-timestamp handling). So each app
 * runs its scenarios twice in one JVM ({@link TwoRounds}): round one creates every series, Prometheus
 * starts and scrapes that state, round two adds the same increments again, which rate(), increase()
 * and histogram_quantile() then see, exactly as they would see traffic in a long-running service.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String JAVA_17 = System.getProperty("java.home");
    private static final String JOB = "llm-app";
    private static final String AGENT_ERROR_MODULE = "prometheus-it";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * Grafana's variables as a dashboard showing everything would set them. The windows are wider than
     * Grafana's (it would take 4 scrape intervals for $__rate_interval) so that each covers the whole
     * run, from Prometheus' first scrape to the query.
     */
    private static final Map<String, String> ALL = Map.of("__rate_interval", "2m", "__range", "10m", "__interval", "15s",
            "service", ".*", "job", ".*", "provider", ".*", "model", ".*");
    private static final String RANGE = "10m";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\s*\\)");

    private final Path dist = Path.of(setting("dist.dir"));
    private final Path rules = dist.resolve("prometheus/llm-lens-rules.yml");
    private final Path dashboardFile = dist.resolve("grafana/llm-lens-dashboard.json");

    /** The rules' unit tests: see {@link #startRuleUnitTests}. */
    private static Background ruleUnitTests;

    @TempDir
    Path temp;

    /**
     * They simulate days of samples and take about 45 s of CPU, so they run in the background while
     * the Prometheus test mostly waits for scrapes and rule evaluations (it starts them once its apps
     * are idle); whichever test gets here first starts them.
     */
    private static synchronized Background startRuleUnitTests(Path promtool) throws IOException {
        if (ruleUnitTests == null) {
            Path rules = Path.of(setting("dist.dir"), "prometheus");
            ruleUnitTests = Background.start(List.of(promtool.toString(), "test", "rules",
                    rules.resolve("llm-lens-rules.test.yml").toString(),
                    rules.resolve("llm-lens-rules.weekly.test.yml").toString()), rules);
        }
        return ruleUnitTests;
    }

    @AfterAll
    static void stopTheRulesUnitTests() {
        if (ruleUnitTests != null) {
            ruleUnitTests.process.destroyForcibly();
        }
    }

    @Test
    @Order(3) // last: by then the unit tests running in the background are done
    void promtoolAcceptsTheShippedRulesAndTheirUnitTestsPass() throws Exception {
        Path promtool = Tools.require("promtool");
        long rulesInFile = Pattern.compile("(?m)^\\s*- (record|alert):").matcher(Files.readString(rules)).results().count();
        Run check = run(List.of(promtool.toString(), "check", "rules", rules.toString()), dist, Duration.ofSeconds(30));
        assertEquals(0, check.exit, check.output);
        assertTrue(check.output.contains("SUCCESS: " + rulesInFile + " rules found"), check.output);
        Run unitTests = startRuleUnitTests(promtool).await(Duration.ofSeconds(150));
        assertEquals(0, unitTests.exit, unitTests.output);
        assertTrue(unitTests.output.contains("SUCCESS"), unitTests.output);
    }

    @Test
    @Order(2)
    void dashboardIsImportableAndEveryTargetIsComplete() throws IOException {
        JsonNode dashboard = JSON.readTree(dashboardFile.toFile());
        assertEquals("llm-lens", dashboard.path("uid").asText());
        assertEquals("llm-lens", dashboard.path("title").asText());
        assertTrue(dashboard.path("schemaVersion").asInt() >= 36, "a schema current Grafana imports without migration");

        Map<String, JsonNode> variables = new LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertEquals(List.of("datasource", "service", "job", "provider", "model"), List.copyOf(variables.keySet()));
        assertEquals("datasource", variables.get("datasource").path("type").asText());
        assertEquals("prometheus", variables.get("datasource").path("query").asText());
        assertEquals("label_values(target_info, service_name)", variableQuery(variables.get("service")));
        assertEquals("label_values(target_info{service_name=~\"$service\"}, job)", variableQuery(variables.get("job")));
        assertEquals("label_values(llmlens_tokens_total{job=~\"$job\"}, gen_ai_provider_name)", variableQuery(variables.get("provider")));
        assertEquals("label_values(llmlens_tokens_total{job=~\"$job\", gen_ai_provider_name=~\"$provider\"}, gen_ai_request_model)",
                variableQuery(variables.get("model")));
        for (String name : List.of("provider", "model")) {
            assertTrue(variables.get(name).path("multi").asBoolean() && variables.get(name).path("includeAll").asBoolean(), name);
            assertEquals(".*", variables.get(name).path("allValue").asText(), name + ": All must match series without the label too");
        }

        Set<Integer> ids = new HashSet<>();
        List<Executable> checks = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique: " + title);
            JsonNode grid = panel.path("gridPos");
            assertTrue(grid.path("x").asInt() + grid.path("w").asInt() <= 24, title + " fits the 24-column grid");
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            checks.add(() -> {
                assertFalse(title.isBlank());
                assertFalse(panel.path("description").asText().isBlank(), title + " tells the reader what it shows");
                assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), title);
                assertTrue(panel.path("targets").size() > 0, title + " has a query");
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : panel.path("targets")) {
                    assertTrue(refIds.add(target.path("refId").asText()) && !target.path("refId").asText().isBlank(), title + " refIds");
                    assertFalse(target.path("legendFormat").asText().isBlank(), title + " legend");
                    assertEquals("${datasource}", target.path("datasource").path("uid").asText(), title);
                    assertFalse(target.path("expr").asText().isBlank(), title);
                }
            });
        }
        assertAll(checks);
        assertTrue(checks.size() >= 20, "panels: " + checks.size());
    }

    @Test
    @Order(1)
    void dashboardAndRulesWorkOnARealPrometheusScrapingTheAgent() throws Exception {
        Path prometheusBinary = Tools.require("prometheus");
        Path promtool = Tools.require("promtool");
        Timings timings = new Timings();
        int openAiPort = freePort();
        int geminiPort = freePort();
        int prometheusPort = freePort();
        try (MockOpenAiServer openAiMock = new MockOpenAiServer().start();
             MockGeminiServer geminiMock = new MockGeminiServer().start();
             AppProcess openAi = startApp("openai", "smoke-openai", openAiMock.baseUrl(), openAiPort);
             AppProcess gemini = startApp("gemini", "smoke-gemini", geminiMock.baseUrl(), geminiPort)) {
            awaitLine(openAi, TwoRounds.ROUND_ONE_DONE);
            awaitLine(gemini, TwoRounds.ROUND_ONE_DONE);
            timings.lap("apps started, round one");
            startRuleUnitTests(promtool);

            Path config = writeConfig(openAiPort, geminiPort);
            Run checkConfig = run(List.of(promtool.toString(), "check", "config", config.toString()), temp, Duration.ofSeconds(30));
            assertEquals(0, checkConfig.exit, checkConfig.output);
            assertTrue(checkConfig.output.contains("SUCCESS"), checkConfig.output);

            try (Server prometheus = Server.start(prometheusBinary, config, temp, prometheusPort)) {
                Api api = new Api(prometheusPort, prometheus);
                api.await("both apps scraped", () -> api.scalar("count(up{job=\"" + JOB + "\"} == 1)") == 2);
                List<PrometheusText> before = List.of(PrometheusText.scrape(openAiPort, false), PrometheusText.scrape(geminiPort, false));
                timings.lap("Prometheus up, first scrapes");

                openAi.send("round two");
                gemini.send("round two");
                openAi.awaitScenariosDone(TIMEOUT);
                gemini.awaitScenariosDone(TIMEOUT);
                double roundTwoDone = Instant.now().toEpochMilli() / 1000.0;
                api.await("a scrape of both apps after round two",
                        () -> api.scalar("min(timestamp(up{job=\"" + JOB + "\"}))") > roundTwoDone);
                double lastScrape = api.scalar("min(timestamp(up{job=\"" + JOB + "\"}))");
                List<PrometheusText> after = List.of(PrometheusText.scrape(openAiPort, false), PrometheusText.scrape(geminiPort, false));
                timings.lap("round two, scraped");
                // the SLI group has its own 30 s interval: wait for an evaluation that saw round two
                api.await("the recording rules evaluated after round two",
                        () -> api.scalar("min(timestamp(llmlens:gen_ai_calls:rate5m))") > lastScrape);
                timings.lap("recording rules evaluated");

                JsonNode dashboard = JSON.readTree(dashboardFile.toFile());
                Map<String, String> panels = panelQueries(dashboard);
                // all of them, so one run reports every problem
                assertAll(
                        () -> checkVariables(api, dashboard),
                        () -> checkEveryPanelQuery(api, panels),
                        () -> checkPanelValues(api, panels, before, after),
                        () -> checkPanelsFilterByTheChosenValues(api, panels),
                        () -> checkEveryReferencedMetricIsExported(api, dashboard, panels, after),
                        () -> checkRecordingRulesAndRuleHealth(api),
                        () -> checkAlertsOnThisTraffic(api));
                timings.lap("queries and checks");
            }
            assertEquals(0, openAi.stop(TIMEOUT), openAi.describe());
            assertEquals(0, gemini.stop(TIMEOUT), gemini.describe());
        }
        timings.lap("apps stopped");
        System.out.println("PrometheusIT timings: " + timings);
    }

    private static final class Timings {
        private final long start = System.nanoTime();
        private long last = start;
        private final StringBuilder laps = new StringBuilder();

        void lap(String what) {
            long now = System.nanoTime();
            laps.append(what).append(' ').append(TimeUnit.NANOSECONDS.toMillis(now - last)).append(" ms, ");
            last = now;
        }

        @Override
        public String toString() {
            return laps + "total " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms";
        }
    }

    private static String variableQuery(JsonNode variable) {
        JsonNode query = variable.path("query");
        return query.isTextual() ? query.asText() : query.path("query").asText();
    }

    /** Panel title (with the target's refId) → PromQL as written in the dashboard. */
    private static Map<String, String> panelQueries(JsonNode dashboard) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asText() + " [" + target.path("refId").asText() + "]", target.path("expr").asText());
            }
        }
        return queries;
    }

    private static String substitute(String expr, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new AssertionError("unknown variable $" + m.group(1) + " in " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** Grafana's label_values(selector, label) is Prometheus' /api/v1/label/<label>/values?match[]=selector. */
    private static void checkVariables(Api api, JsonNode dashboard) throws Exception {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                Matcher m = LABEL_VALUES.matcher(variableQuery(variable));
                assertTrue(m.matches(), variableQuery(variable));
                values.put(variable.path("name").asText(), api.labelValues(m.group(2), substitute(m.group(1), ALL)));
            }
        }
        assertEquals(Set.of("smoke-openai", "smoke-gemini"), values.get("service"));
        assertEquals(Set.of(JOB), values.get("job"));
        assertTrue(values.get("provider").containsAll(Set.of("openai", "gcp.gemini", "gcp.vertex_ai")), values.toString());
        assertTrue(values.get("model").containsAll(Set.of("gpt-4o-mini", "gpt-4.1-mini", GoogleGenAiScenarios.MODEL)), values.toString());
        // the model list follows the chosen provider
        Map<String, String> openAiOnly = new LinkedHashMap<>(ALL);
        openAiOnly.put("provider", "openai");
        JsonNode modelVariable = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals("model")) {
                modelVariable = variable;
            }
        }
        Matcher model = LABEL_VALUES.matcher(variableQuery(modelVariable));
        assertTrue(model.matches());
        Set<String> openAiModels = api.labelValues(model.group(2), substitute(model.group(1), openAiOnly));
        assertTrue(openAiModels.contains("gpt-4o-mini") && !openAiModels.contains(GoogleGenAiScenarios.MODEL), openAiModels.toString());
    }

    private static void checkEveryPanelQuery(Api api, Map<String, String> panels) {
        List<Executable> checks = new ArrayList<>();
        panels.forEach((panel, expr) -> checks.add(() -> {
            String query = substitute(expr, ALL);
            List<Series> result = api.query(query);
            System.out.println("panel " + panel + " -> " + result);
            assertFalse(result.isEmpty(), panel + " is empty: " + query);
            for (Series series : result) {
                assertTrue(Double.isFinite(series.value), panel + " " + series + ": " + query);
            }
        }));
        assertAll("every dashboard query returns finite values", checks);
    }

    /**
     * Values a few panels must show after round two. increase() extrapolates from the first and last
     * sample in its window to the window's edges, so a counter that went up by d reads between d and
     * d × (1 + 1.6 / (samples − 1)): at most half a scrape interval before the first sample, at most
     * 1.1 intervals after the last. Ratios of series scraped together are exact.
     */
    private static void checkPanelValues(Api api, Map<String, String> panels, List<PrometheusText> before, List<PrometheusText> after)
            throws Exception {
        double samples = api.scalar("min(count_over_time(up{job=\"" + JOB + "\"}[" + RANGE + "]))");
        double extrapolation = 1 + 1.6 / (samples - 1);
        Predicate<Double> once = v -> v >= 1 - 1e-9 && v <= extrapolation;
        Predicate<Double> twice = v -> v >= 2 - 1e-9 && v <= 2 * extrapolation;

        double costBefore = before.stream().mapToDouble(t -> t.sum("llmlens_cost_usd_total", Map.of())).sum();
        double costAfter = after.stream().mapToDouble(t -> t.sum("llmlens_cost_usd_total", Map.of())).sum();
        assertTrue(costBefore > 0, "round one cost something");
        assertEquals(2 * costBefore, costAfter, 1e-12, "round two repeats round one");
        assertEquals(costAfter, api.scalar("sum(llmlens_cost_usd_total{job=\"" + JOB + "\"})"), costAfter * 1e-12,
                "Prometheus stored the counters the apps serve");
        double roundTwoCost = costAfter - costBefore;
        Predicate<Double> roundTwoSpend = v -> v >= roundTwoCost * (1 - 1e-9) && v <= roundTwoCost * extrapolation;

        assertAll("panel values",
                () -> assertOne(api, panels, "Cost, last 24 hours [A]", Map.of(), roundTwoSpend),
                () -> assertOne(api, panels, "Cost, last hour [A]", Map.of(), roundTwoSpend),
                // chat-unpriced on a model missing from the price table, once per round
                () -> assertSeries(api, panels, "Unpriced model calls [A]", Map.of(
                        Map.of("gen_ai_provider_name", "openai", "gen_ai_response_model", "acme-private-model-2025-01-01"), once)),
                // afc-sync and afc-async call getWeather, afc-tool-error calls failingLookup, which throws
                () -> assertSeries(api, panels, "Top tools by calls [A]", Map.of(
                        Map.of("gen_ai_tool_name", "getWeather"), twice, Map.of("gen_ai_tool_name", "failingLookup"), once)),
                () -> assertSeries(api, panels, "Top tools by errors [A]", Map.of(
                        Map.of("gen_ai_tool_name", "failingLookup", "error_type", "java.lang.IllegalStateException"), once)),
                () -> assertSeries(api, panels, "Agent runs per second [A]", Map.of(
                        Map.of("gen_ai_agent_name", "AutomaticFunctionCalling"), v -> v > 0)),
                () -> assertOne(api, panels, "Agent run cost, average and p95 [A]", Map.of("gen_ai_agent_name", "AutomaticFunctionCalling"),
                        v -> Math.abs(v - roundTwoAverage(before, after, "llmlens_agent_run_cost_usd")) < 1e-12),
                // every call of the mock-429, mock-500 and mock-broken-stream models fails, no other call does
                () -> {
                    List<Series> errors = api.query(substitute(panels.get("Error rate by provider, model and error type [A]"), ALL));
                    assertEquals(Set.of("openai mock-429", "openai mock-500", "openai mock-broken-stream", "gcp.gemini mock-429",
                            "gcp.gemini mock-500"), errors.stream().map(s -> s.labels.get("gen_ai_provider_name") + " "
                            + s.labels.get("gen_ai_request_model")).collect(Collectors.toSet()), errors.toString());
                    errors.forEach(s -> assertEquals(1.0, s.value, 1e-12, s.toString()));
                },
                () -> api.query(substitute(panels.get("Active calls [A]"), ALL)).forEach(s -> assertEquals(0, s.value, s.toString())),
                () -> assertSeries(api, panels, "Telemetry dropped by llm-lens [A]", Map.of(
                        Map.of("job", JOB, "signal", "traces"), v -> v == 0, Map.of("job", JOB, "signal", "events"), v -> v == 0)),
                // TwoRounds reports one error per round and app, through the facade every instrumentation uses
                () -> assertSeries(api, panels, "llm-lens internal errors [A]", Map.of(
                        Map.of("job", JOB, "module", AGENT_ERROR_MODULE), twice)));
    }

    private static double roundTwoAverage(List<PrometheusText> before, List<PrometheusText> after, String histogram) {
        double sum = 0;
        double count = 0;
        for (int i = 0; i < after.size(); i++) {
            sum += after.get(i).sum(histogram + "_sum", Map.of()) - before.get(i).sum(histogram + "_sum", Map.of());
            count += after.get(i).sum(histogram + "_count", Map.of()) - before.get(i).sum(histogram + "_count", Map.of());
        }
        assertTrue(count > 0, histogram + " observed in round two");
        return sum / count;
    }

    private static void assertOne(Api api, Map<String, String> panels, String panel, Map<String, String> labels, Predicate<Double> expected)
            throws Exception {
        assertSeries(api, panels, panel, Map.of(labels, expected));
    }

    /** The panel shows exactly these series (by their labels), each with a value {@code expected} accepts. */
    private static void assertSeries(Api api, Map<String, String> panels, String panel, Map<Map<String, String>, Predicate<Double>> expected)
            throws Exception {
        List<Series> result = api.query(substitute(panels.get(panel), ALL));
        assertEquals(expected.keySet(), result.stream().map(s -> s.labels).collect(Collectors.toSet()), panel + ": " + result);
        for (Series series : result) {
            assertTrue(expected.get(series.labels).test(series.value), panel + ": " + series);
        }
    }

    /** With one provider and model chosen, every series a panel shows is about that provider and model. */
    private static void checkPanelsFilterByTheChosenValues(Api api, Map<String, String> panels) throws Exception {
        Map<String, String> chosen = Map.of("__rate_interval", ALL.get("__rate_interval"), "__range", ALL.get("__range"),
                "__interval", ALL.get("__interval"), "service", "smoke-openai", "job", JOB, "provider", "openai", "model", "gpt-4o-mini");
        List<Executable> checks = new ArrayList<>();
        panels.forEach((panel, expr) -> checks.add(() -> {
            for (Series series : api.query(substitute(expr, chosen))) {
                assertTrue(series.labels.getOrDefault("gen_ai_provider_name", "openai").equals("openai"), panel + " " + series);
                assertTrue(series.labels.getOrDefault("gen_ai_request_model", "gpt-4o-mini").equals("gpt-4o-mini"), panel + " " + series);
            }
        }));
        assertAll(checks);
        assertFalse(api.query(substitute(panels.get("Model calls per second [A]"), chosen)).isEmpty());
    }

    /** No dashboard query or rule may reference a metric the agent does not export. */
    private static void checkEveryReferencedMetricIsExported(Api api, JsonNode dashboard, Map<String, String> panels,
                                                             List<PrometheusText> scrapes) throws Exception {
        Set<String> exported = new TreeSet<>();
        for (PrometheusText scrape : scrapes) {
            scrape.text().lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("[{ ]", 2)[0]).forEach(exported::add);
        }
        Map<String, Set<String>> referenced = new LinkedHashMap<>();
        panels.forEach((panel, expr) -> referenced.put("panel " + panel, MetricNames.in(expr)));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variableQuery(variable));
            if (m.matches()) {
                referenced.put("variable " + variable.path("name").asText(), MetricNames.in(m.group(1)));
            }
        }
        for (JsonNode rule : api.rules()) {
            referenced.put("rule " + rule.path("name").asText(), MetricNames.in(rule.path("query").asText()));
        }
        List<String> missing = new ArrayList<>();
        referenced.forEach((where, names) -> {
            if (names.isEmpty() && !where.startsWith("rule llmlens:slo") && !where.startsWith("rule llmlens:cost_budget")) {
                missing.add(where + " references no metric at all: the name parser missed it");
            }
            names.stream().filter(n -> !n.startsWith("llmlens:") && !exported.contains(n)).forEach(n -> missing.add(where + ": " + n));
        });
        assertTrue(missing.isEmpty(), "not exported by the agent: " + missing + "\nexported: " + exported);
    }

    /** Every recording rule has data (none is expected empty: both apps made and failed calls in round two). */
    private static void checkRecordingRulesAndRuleHealth(Api api) throws Exception {
        JsonNode groups = api.get("/api/v1/rules").path("data").path("groups");
        Set<String> groupNames = new TreeSet<>();
        List<Executable> checks = new ArrayList<>();
        long rulesInFile = 0;
        for (JsonNode group : groups) {
            groupNames.add(group.path("name").asText());
            checks.add(() -> assertTrue(group.path("file").asText().endsWith("llm-lens-rules.yml"), group.toString()));
            for (JsonNode rule : group.path("rules")) {
                rulesInFile++;
                String name = rule.path("name").asText();
                checks.add(() -> assertEquals("ok", rule.path("health").asText(), name + ": " + rule.path("lastError").asText()));
                if (rule.path("type").asText().equals("recording")) {
                    checks.add(() -> {
                        List<Series> result = api.query(name);
                        assertFalse(result.isEmpty(), name + " has no data");
                        result.forEach(s -> assertTrue(Double.isFinite(s.value), name + " " + s));
                    });
                }
            }
        }
        assertEquals(Set.of("llm-lens-settings", "llm-lens-slis", "llm-lens-alerts"), groupNames);
        assertEquals(Pattern.compile("(?m)^\\s*- (record|alert):").matcher(Files.readString(Path.of(setting("dist.dir"),
                "prometheus/llm-lens-rules.yml"))).results().count(), rulesInFile, "Prometheus loaded every rule");
        assertAll("recording rules", checks);
    }

    /**
     * This traffic is what two alerts are for: a model without a price (fires at once) and an error
     * ratio above 5% (pending: it must last 5 minutes before it fires).
     */
    private static void checkAlertsOnThisTraffic(Api api) throws Exception {
        api.await("LlmLensUnpricedModel firing and LlmLensHighErrorRate pending", () -> {
            Set<String> states = new TreeSet<>();
            api.get("/api/v1/alerts").path("data").path("alerts")
                    .forEach(a -> states.add(a.path("labels").path("alertname").asText() + "=" + a.path("state").asText()));
            return states.contains("LlmLensUnpricedModel=firing") && states.contains("LlmLensHighErrorRate=pending");
        });
    }

    private Path writeConfig(int openAiPort, int geminiPort) throws IOException {
        Path config = temp.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + rules.toAbsolutePath(),
                "scrape_configs:",
                "  - job_name: " + JOB,
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + openAiPort + "', '127.0.0.1:" + geminiPort + "']",
                ""));
        return config;
    }

    private AppProcess startApp(String provider, String service, String baseUrl, int metricsPort) throws IOException {
        List<String> jvmArgs = List.of("-javaagent:" + setting("agent.jar"),
                "-Dotel.service.name=" + service,
                "-Dotel.traces.exporter=none",
                "-Dllmlens.prometheus.host=127.0.0.1",
                "-Dllmlens.prometheus.port=" + metricsPort);
        String classpath = setting("test.classes") + File.pathSeparator + appClasspath();
        return AppProcess.start(JAVA_17, jvmArgs, classpath, TwoRounds.class.getName(), provider, baseUrl);
    }

    private static void awaitLine(AppProcess app, String line) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!app.stdout().contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + line + " within " + TIMEOUT + "\n" + app.describe());
            }
            // a poll interval on the app's collected output, not a wait for the event itself
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private record Run(int exit, String output) {}

    private static Run run(List<String> command, Path directory, Duration timeout) throws Exception {
        return Background.start(command, directory).await(timeout);
    }

    /** A command whose output goes to a file, so it never blocks on a full pipe while nobody reads. */
    private record Background(List<String> command, Process process, Path output) {

        static Background start(List<String> command, Path directory) throws IOException {
            Path output = Files.createTempFile("llm-lens-tool", ".out");
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new Background(command, process, output);
        }

        Run await(Duration timeout) throws Exception {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
                }
                return new Run(process.exitValue(), String.join(" ", command) + "\n" + Files.readString(output));
            } finally {
                process.destroyForcibly();
                Files.deleteIfExists(output);
            }
        }
    }

    /** A Prometheus server process in a temporary directory; closing it stops the process. */
    private static final class Server implements AutoCloseable {

        private final Process process;
        private final Path log;

        private Server(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static Server start(Path binary, Path config, Path directory, int port) throws IOException {
            Path log = directory.resolve("prometheus.log");
            Process process = new ProcessBuilder(binary.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + directory.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Server(process, log);
        }

        String log() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private record Series(Map<String, String> labels, double value) {}

    /** Prometheus' HTTP API. */
    private static final class Api {

        private final String base;
        private final Server server;

        Api(int port, Server server) {
            this.base = "http://127.0.0.1:" + port;
            this.server = server;
        }

        interface Condition {
            boolean holds() throws Exception;
        }

        /** Polls {@code condition} (errors count as "not yet": the server may still be starting) until it holds. */
        void await(String what, Condition condition) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            Throwable last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (condition.holds()) {
                        return;
                    }
                } catch (Exception | AssertionError e) {
                    last = e;
                }
                // a poll interval: Prometheus scrapes and evaluates on its own clock
                LockSupport.parkNanos(100_000_000L);
            }
            throw new AssertionError("waited " + TIMEOUT + " for " + what + (last == null ? "" : " (last error: " + last + ")")
                    + "\n--- prometheus log\n" + server.log());
        }

        JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !body.path("status").asText().equals("success")) {
                throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
            }
            return body;
        }

        List<Series> query(String promql) throws IOException, InterruptedException {
            JsonNode data = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data");
            List<Series> result = new ArrayList<>();
            if (data.path("resultType").asText().equals("scalar")) {
                result.add(new Series(Map.of(), number(data.path("result").get(1).asText())));
                return result;
            }
            assertEquals("vector", data.path("resultType").asText(), promql);
            for (JsonNode sample : data.path("result")) {
                Map<String, String> labels = new LinkedHashMap<>();
                sample.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                result.add(new Series(labels, number(sample.path("value").get(1).asText())));
            }
            return result;
        }

        /** The single value of {@code promql}; NaN when it has none yet. */
        double scalar(String promql) throws IOException, InterruptedException {
            List<Series> result = query(promql);
            assertTrue(result.size() <= 1, promql + ": " + result);
            return result.isEmpty() ? Double.NaN : result.get(0).value;
        }

        Set<String> labelValues(String label, String selector) throws IOException, InterruptedException {
            JsonNode data = get("/api/v1/label/" + label + "/values?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8))
                    .path("data");
            Set<String> values = new TreeSet<>();
            data.forEach(v -> values.add(v.asText()));
            return values;
        }

        List<JsonNode> rules() throws IOException, InterruptedException {
            List<JsonNode> rules = new ArrayList<>();
            get("/api/v1/rules").path("data").path("groups").forEach(g -> g.path("rules").forEach(rules::add));
            return rules;
        }

        private static double number(String text) {
            return switch (text) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(text);
            };
        }
    }

    /** Metric names in a PromQL expression: what remains once strings, matchers, ranges, groupings and calls are gone. */
    static final class MetricNames {

        private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
        private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
        private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
        private static final Pattern GROUPINGS = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
        private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.])[a-zA-Z_:][\\w:]*(?!\\w)(\\s*\\()?");
        private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
                "group_left", "group_right", "offset", "bool", "inf", "nan");

        static Set<String> in(String expr) {
            String rest = STRINGS.matcher(expr).replaceAll("\"\"");
            rest = MATCHERS.matcher(rest).replaceAll(" ");
            rest = RANGES.matcher(rest).replaceAll(" ");
            rest = GROUPINGS.matcher(rest).replaceAll(" ");
            Set<String> names = new TreeSet<>();
            Matcher m = IDENTIFIER.matcher(rest);
            while (m.find()) {
                String name = m.group().replaceAll("\\s*\\($", "");
                if (m.group(1) == null && !KEYWORDS.contains(name.toLowerCase())) {
                    names.add(name);
                }
            }
            return names;
        }
    }

    /**
     * The sample app of this test, in its own JVM with the agent: a provider's scenarios, run twice (see
     * the class comment). It starts round two on a line on stdin, prints {@link AppProcess#DONE} after
     * it, and exits when stdin closes.
     */
    public static final class TwoRounds {

        static final String ROUND_ONE_DONE = "ROUND_ONE_DONE";

        public static void main(String[] args) throws Exception {
            String baseUrl = args[1];
            boolean openAi = args[0].equals("openai");
            Set<String> scenarios = openAi ? OpenAiScenarios.SCENARIOS.keySet() : GoogleGenAiScenarios.SCENARIOS.keySet();
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try (ScenarioApp app = openAi ? new OpenAiScenarios(baseUrl, System.out) : new GoogleGenAiScenarios(baseUrl, System.out)) {
                scenarios.forEach(app::run);
                reportAgentError();
                System.out.println(ROUND_ONE_DONE);
                System.out.flush();
                if (stdin.readLine() == null) {
                    return;
                }
                scenarios.forEach(app::run);
                reportAgentError();
                System.out.println(AppProcess.DONE);
                System.out.flush();
                stdin.readLine();
            }
        }

        /**
         * What an instrumentation reports when a provider's answer surprises it. Nothing in the scenarios
         * does, and the health panel and its metric need a series: the facade is on the boot class path
         * (put there by the agent), hence reflection.
         */
        private static void reportAgentError() throws ReflectiveOperationException {
            Class.forName("dev.llmlens.bootstrap.LlmLens")
                    .getMethod("instrumentationError", String.class, Throwable.class)
                    .invoke(null, AGENT_ERROR_MODULE, new IllegalStateException("reported by PrometheusIT"));
        }
    }
}
