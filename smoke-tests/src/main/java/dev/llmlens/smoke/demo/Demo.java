package dev.llmlens.smoke.demo;

import dev.llmlens.smoke.app.GoogleGenAiScenarios;
import dev.llmlens.smoke.app.OpenAiScenarios;
import dev.llmlens.smoke.mock.MockGeminiServer;
import dev.llmlens.smoke.mock.MockOpenAiServer;
import dev.llmlens.smoke.otlp.OtlpReceiver;
import dev.llmlens.smoke.otlp.ReceivedSpan;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The README's main job: a small openai-java app runs with {@code -javaagent:llm-lens-agent.jar}
 * against an embedded mock OpenAI server (no API key, nothing leaves 127.0.0.1). Prints what the
 * agent produced, the span tree it exported over OTLP and a /metrics excerpt, keeps /metrics up for
 * a while (until Enter when run from a terminal) and exits by itself.
 */
public final class Demo {

    private static final String SCENARIOS = "chat-sync,chat-stream-usage,chat-stream-closed-early,responses-stream,"
            + "embeddings-sync,chat-unpriced,error-429";

    public static void main(String[] args) throws Exception {
        Path agentJar = Path.of(System.getProperty("agent.jar"));
        String classpath = System.getProperty("app.classes") + File.pathSeparator
                + Files.readString(Path.of(System.getProperty("app.classpath.file"))).trim();
        int holdSeconds = Integer.parseInt(System.getProperty("demo.hold.seconds", "15"));
        int metricsPort = freePort();
        try (MockOpenAiServer mock = new MockOpenAiServer().start(); OtlpReceiver otlp = new OtlpReceiver().start()) {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-javaagent:" + agentJar, "-Dotel.service.name=demo-app",
                    "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(), "-Dotel.bsp.schedule.delay=200",
                    "-Dllmlens.prometheus.host=127.0.0.1", "-Dllmlens.prometheus.port=" + metricsPort,
                    "-cp", classpath, OpenAiScenarios.class.getName(), mock.baseUrl(), SCENARIOS);
            banner("llm-lens demo: " + String.join(" ", command.subList(0, 3)) + " ... OpenAiScenarios");
            Process app = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null && !line.equals("SCENARIOS_DONE"); ) {
                System.out.println("  app | " + line);
            }
            int calls = SCENARIOS.split(",").length;
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= calls, Duration.ofSeconds(30));
            banner("Spans received over OTLP/HTTP (one per model call)");
            System.out.println(OtlpReceiver.tree(spans));
            banner("curl http://127.0.0.1:" + metricsPort + "/metrics  (excerpt: counts, sums, counters)");
            System.out.println(excerpt(metricsPort));
            if (System.console() != null) {
                System.out.println("\n/metrics stays up: try the curl above. Press Enter to stop.");
                System.console().readLine();
            } else {
                System.out.println("\n/metrics stays up for " + holdSeconds + " s (run from a terminal to stop with Enter).");
                app.waitFor(holdSeconds, TimeUnit.SECONDS);
            }
            app.getOutputStream().close();
            app.waitFor(10, TimeUnit.SECONDS);
            int toolLoopSpans = toolLoop(agentJar, classpath, otlp);
            System.out.println("Demo done: " + (spans.size() + toolLoopSpans) + " spans, app exit code " + app.exitValue() + ".");
        }
    }

    /**
     * A second app, on google-genai: Gemini calls a Java method the app declared as a tool (automatic
     * function calling). One invoke_agent span holds the two round trips and the tool execution.
     */
    private static int toolLoop(Path agentJar, String classpath, OtlpReceiver otlp) throws Exception {
        otlp.reset();
        try (MockGeminiServer gemini = new MockGeminiServer().start()) {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-javaagent:" + agentJar, "-Dotel.service.name=demo-agent",
                    "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(), "-Dotel.bsp.schedule.delay=200",
                    "-Dllmlens.prometheus.port=0", "-Dllmlens.log.events=stderr",
                    "-cp", classpath, GoogleGenAiScenarios.class.getName(), gemini.baseUrl(), "afc-sync");
            banner("A tool loop: " + String.join(" ", command.subList(0, 3)) + " ... GoogleGenAiScenarios afc-sync"
                    + " (event lines on stderr)");
            Process app = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = out.readLine()) != null && !line.equals("SCENARIOS_DONE"); ) {
                System.out.println("  app | " + line);
            }
            app.getOutputStream().close(); // the app exits; the agent flushes its spans on the way out
            app.waitFor(10, TimeUnit.SECONDS);
            List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() >= 4, Duration.ofSeconds(30));
            banner("Spans of the tool loop (invoke_agent > round trips and execute_tool)");
            System.out.println(OtlpReceiver.tree(spans));
            return spans.size();
        }
    }

    private static String excerpt(int port) throws Exception {
        String body = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines()
                .filter(l -> !l.startsWith("#") && !l.contains("_bucket{") && !l.contains("_created"))
                .filter(l -> l.startsWith("gen_ai_client_operation_duration_seconds_count")
                        || l.startsWith("gen_ai_client_token_usage_sum") || l.startsWith("llmlens_"))
                .map(l -> "  " + l)
                .collect(Collectors.joining("\n"));
    }

    private static void banner(String title) {
        System.out.println("\n== " + title);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
