package dev.llmlens.instrumentation.langchain4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The OpenAI API as langchain4j-open-ai talks to it, on 127.0.0.1: chat completions (JSON or SSE),
 * embeddings. A request that declares tools and carries no tool result yet is answered with a call of
 * {@link #toolName} with {@link #toolArguments}; once the tool's result is in the request, with the
 * final answer, so the AI service's tool loop really runs. Model {@code broken} gets an HTTP 500.
 */
final class MockOpenAi implements AutoCloseable {

    private final HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile String toolName = "add";
    volatile String toolArguments = "{\"a\":2,\"b\":3}";
    /** Sent as the answer's reasoning_content (the field DeepSeek-style models think in) when set. */
    volatile String reasoning;

    MockOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/embeddings", this::embeddings);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void chat(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(body);
        if (has(body, "model", "\"broken\"")) {
            send(exchange, 500, "application/json", "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
            return;
        }
        boolean wantsTool = body.contains("\"tools\"") && !has(body, "role", "\"tool\"");
        String usage = "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":7,\"total_tokens\":27,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":2}}";
        if (has(body, "stream", "true")) {
            String chunk = "{\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":%s}]}";
            String events = "data: " + chunk.formatted("Hel", "null") + "\n\n"
                    + "data: " + chunk.formatted("lo", "\"stop\"") + "\n\n"
                    + "data: {\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[]," + usage + "}\n\n"
                    + "data: [DONE]\n\n";
            send(exchange, 200, "text/event-stream", events);
            return;
        }
        String message = wantsTool
                ? "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_" + requests.size()
                        + "\",\"type\":\"function\",\"function\":{\"name\":\"" + toolName + "\",\"arguments\":"
                        + quote(toolArguments) + "}}]}"
                : "{\"role\":\"assistant\",\"content\":\"The answer is 5.\""
                        + (reasoning == null ? "" : ",\"reasoning_content\":" + quote(reasoning)) + "}";
        send(exchange, 200, "application/json", "{\"id\":\"chatcmpl-" + requests.size() + "\",\"object\":\"chat.completion\","
                + "\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":" + message
                + ",\"finish_reason\":\"" + (wantsTool ? "tool_calls" : "stop") + "\"}]," + usage + "}");
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        send(exchange, 200, "application/json", "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":[0.1,0.2,0.3]}],\"model\":\"text-embedding-3-small\","
                + "\"usage\":{\"prompt_tokens\":6,\"total_tokens\":6}}");
    }

    /** Whether the JSON body has {@code "key": value} (langchain4j's client may pretty-print). */
    private static boolean has(String body, String key, String value) {
        return java.util.regex.Pattern.compile("\"" + key + "\"\\s*:\\s*" + java.util.regex.Pattern.quote(value)).matcher(body).find();
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
