package dev.llmlens.instrumentation.anthropic.helper;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClientAsync;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * A local HTTP endpoint that answers each request with the next queued reply, so the real SDK
 * parses real payloads (JSON, SSE streams, error bodies) without the network.
 */
final class CannedApi implements AutoCloseable {

    record Reply(int status, String contentType, List<String> parts, boolean cutAfterParts) {}

    private final HttpServer server;
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    /** Clients of this endpoint, closed with it. */
    final AnthropicClient client;
    final AnthropicClientAsync asyncClient;

    CannedApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "canned-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Reply reply = replies.poll();
            if (reply == null) {
                reply = new Reply(500, "application/json", List.of("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"no reply queued\"}}"), false);
            }
            exchange.getResponseHeaders().set("content-type", reply.contentType());
            exchange.getResponseHeaders().set("request-id", "req_canned");
            exchange.sendResponseHeaders(reply.status(), 0);
            OutputStream out = exchange.getResponseBody();
            for (String part : reply.parts()) {
                out.write(part.getBytes(UTF_8));
                out.flush();
            }
            if (reply.cutAfterParts()) {
                // the JDK server drops the connection when a handler throws mid-body
                throw new IOException("cut on purpose");
            }
            out.close();
        });
        server.start();
        client = AnthropicOkHttpClient.builder().baseUrl(baseUrl()).apiKey("test").maxRetries(0).build();
        asyncClient = AnthropicOkHttpClientAsync.builder().baseUrl(baseUrl()).apiKey("test").maxRetries(0).build();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    CannedApi json(int status, String body) {
        replies.add(new Reply(status, "application/json", List.of(body), false));
        return this;
    }

    CannedApi sse(List<String> events, boolean cut) {
        replies.add(new Reply(200, "text/event-stream", events, cut));
        return this;
    }

    @Override
    public void close() {
        client.close();
        asyncClient.close();
        server.stop(0);
    }

    // --- payloads shaped like the API's

    static String message(String id, String model, String stopReason, long input, long cacheRead, long cacheWrite,
                          long output) {
        return """
                {"id":"%s","type":"message","role":"assistant","model":"%s",
                 "content":[{"type":"text","text":"Hello"}],"stop_reason":"%s","stop_sequence":null,
                 "usage":{"input_tokens":%d,"cache_read_input_tokens":%d,"cache_creation_input_tokens":%d,
                          "output_tokens":%d,"service_tier":"standard"}}
                """.formatted(id, model, stopReason, input, cacheRead, cacheWrite, output);
    }

    static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    /** A whole stream; {@code deltaUsage} is the message_delta's usage object. */
    static List<String> stream(String id, String model, String deltaUsage) {
        return List.of(
                event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id
                        + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model
                        + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":20,\"cache_read_input_tokens\":100,"
                        + "\"cache_creation_input_tokens\":30,\"output_tokens\":1}}}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("ping", "{\"type\": \"ping\"}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null},\"usage\":" + deltaUsage + "}"),
                event("message_stop", "{\"type\":\"message_stop\"}"));
    }

    static final String RATE_LIMITED = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}";
}
