package dev.llmlens.smoke.mock;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A local stand-in for the Anthropic Messages API ({@code POST /v1/messages}) with the real payload
 * shapes and fixed token counts, so tests can assert exact usage, including prompt-cache reads and
 * writes. Answers JSON, or SSE with named {@code event:} lines when the request streams.
 *
 * <p>A request that declares tools and whose last message carries no {@code tool_result} is
 * answered with a {@code tool_use} block for its first tool, so a tool runner really loops: one
 * tool round, then a final text answer. Errors are chosen by the request's model:
 * {@link #MODEL_RATE_LIMITED}, {@link #MODEL_SERVER_ERROR}, {@link #MODEL_BROKEN_STREAM}.
 */
public final class MockAnthropicServer extends MockApiServer<MockAnthropicServer> {

    // usage of every answer: the uncached input, the prompt-cache read and write, the output
    public static final long INPUT_TOKENS = 20;
    public static final long CACHE_READ_TOKENS = 100;
    public static final long CACHE_WRITE_TOKENS = 30;
    public static final long OUTPUT_TOKENS = 15;
    /** What semconv calls the input: all three input counts together. */
    public static final long TOTAL_INPUT_TOKENS = INPUT_TOKENS + CACHE_READ_TOKENS + CACHE_WRITE_TOKENS;

    public static final List<String> TEXT_DELTAS = List.of("Hello", " from", " Claude");
    public static final String TEXT = String.join("", TEXT_DELTAS);
    /** The arguments the model asks every tool to run with. */
    public static final String TOOL_INPUT = "{\"city\":\"Paris\"}";

    public static final String MODEL_RATE_LIMITED = "mock-429";
    public static final String MODEL_SERVER_ERROR = "mock-500";
    /** Its stream sends message_start and one more event, then the connection drops. */
    public static final String MODEL_BROKEN_STREAM = "mock-broken-stream";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long EVENT_PAUSE_NANOS = 5_000_000;

    public MockAnthropicServer() {
        super(0, "mock-anthropic");
    }

    /** The Anthropic-style base URL (the SDK adds {@code /v1/messages}). */
    public String baseUrl() {
        return origin();
    }

    /**
     * The dated model the API reports for an alias ({@code claude-sonnet-4-5} →
     * {@code claude-sonnet-4-5-20250929}); any other model is reported as requested.
     */
    public static String responseModel(String requestModel) {
        return switch (requestModel) {
            case "claude-sonnet-4-5" -> "claude-sonnet-4-5-20250929";
            case "claude-haiku-4-5" -> "claude-haiku-4-5-20251001";
            case "claude-3-5-haiku" -> "claude-3-5-haiku-20241022";
            default -> requestModel;
        };
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        int n = received(exchange.getRequestURI().toString());
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        exchange.getResponseHeaders().set("request-id", "req_mock_" + n);
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/v1/messages")) {
            error(exchange, 404, "not_found_error", "Not found: " + exchange.getRequestURI().getPath());
            return;
        }
        String model = request.path("model").asText();
        switch (model) {
            case MODEL_RATE_LIMITED -> {
                exchange.getResponseHeaders().set("retry-after", "0");
                exchange.getResponseHeaders().set("anthropic-ratelimit-requests-remaining", "0");
                error(exchange, 429, "rate_limit_error",
                        "This request would exceed the rate limit for your organization of 50 requests per minute.");
                return;
            }
            case MODEL_SERVER_ERROR -> {
                error(exchange, 500, "api_error", "Internal server error");
                return;
            }
            default -> { }
        }
        Answer answer = Answer.to(request, "msg_mock_" + n, "toolu_mock_" + n);
        if (request.path("stream").asBoolean()) {
            stream(exchange, answer.events(responseModel(model)), model.equals(MODEL_BROKEN_STREAM));
        } else {
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(answer.message(responseModel(model))));
        }
    }

    /** What the model says: a tool_use block for the request's first tool, or the final text. */
    private record Answer(String id, String toolUseId, String toolName) {

        static Answer to(JsonNode request, String id, String toolUseId) {
            JsonNode tools = request.path("tools");
            JsonNode messages = request.path("messages");
            boolean answeringToolResult = false;
            if (messages.size() > 0) {
                for (JsonNode block : messages.get(messages.size() - 1).path("content")) {
                    answeringToolResult |= block.path("type").asText().equals("tool_result");
                }
            }
            String tool = tools.size() > 0 && !answeringToolResult ? tools.get(0).path("name").asText() : null;
            return new Answer(id, toolUseId, tool);
        }

        String stopReason() {
            return toolName == null ? "end_turn" : "tool_use";
        }

        ObjectNode message(String model) throws IOException {
            ObjectNode message = envelope(model);
            ArrayNode content = message.putArray("content");
            if (toolName == null) {
                content.addObject().put("type", "text").put("text", TEXT);
            } else {
                content.addObject().put("type", "text").put("text", "Let me check.");
                content.addObject().put("type", "tool_use").put("id", toolUseId).put("name", toolName)
                        .set("input", JSON.readTree(TOOL_INPUT));
            }
            message.put("stop_reason", stopReason());
            message.set("usage", usage(OUTPUT_TOKENS, true));
            return message;
        }

        private ObjectNode envelope(String model) {
            ObjectNode message = NODES.objectNode();
            message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
            message.putArray("content");
            message.putNull("stop_reason");
            message.putNull("stop_sequence");
            return message;
        }

        /** The event sequence of a streamed answer, each as one SSE frame. */
        List<String> events(String model) throws IOException {
            List<String> events = new ArrayList<>();
            ObjectNode start = envelope(model);
            start.set("usage", usage(1, true));
            events.add(frame("message_start", NODES.objectNode().set("message", start)));
            int index = 0;
            if (toolName == null) {
                events.add(frame("content_block_start", block(index, NODES.objectNode().put("type", "text").put("text", ""))));
                events.add(frame("ping", NODES.objectNode()));
                for (String delta : TEXT_DELTAS) {
                    events.add(frame("content_block_delta", delta(index, "text_delta", "text", delta)));
                }
                events.add(frame("content_block_stop", NODES.objectNode().put("index", index)));
            } else {
                ObjectNode toolUse = NODES.objectNode().put("type", "tool_use").put("id", toolUseId).put("name", toolName);
                toolUse.putObject("input");
                events.add(frame("content_block_start", block(index, toolUse)));
                // arguments arrive as partial JSON, split mid-token like the real API does
                events.add(frame("content_block_delta", delta(index, "input_json_delta", "partial_json", TOOL_INPUT.substring(0, 9))));
                events.add(frame("content_block_delta", delta(index, "input_json_delta", "partial_json", TOOL_INPUT.substring(9))));
                events.add(frame("content_block_stop", NODES.objectNode().put("index", index)));
            }
            ObjectNode messageDelta = NODES.objectNode();
            messageDelta.putObject("delta").put("stop_reason", stopReason()).putNull("stop_sequence");
            // the current API repeats the input side here, cumulatively: a client must not add it twice
            messageDelta.set("usage", usage(OUTPUT_TOKENS, false));
            events.add(frame("message_delta", messageDelta));
            events.add(frame("message_stop", NODES.objectNode()));
            return events;
        }

        private static ObjectNode block(int index, ObjectNode contentBlock) {
            ObjectNode event = NODES.objectNode().put("index", index);
            event.set("content_block", contentBlock);
            return event;
        }

        private static ObjectNode delta(int index, String type, String field, String value) {
            ObjectNode event = NODES.objectNode().put("index", index);
            event.putObject("delta").put("type", type).put(field, value);
            return event;
        }

        private static ObjectNode usage(long output, boolean withServiceTier) {
            ObjectNode usage = NODES.objectNode()
                    .put("input_tokens", INPUT_TOKENS)
                    .put("cache_creation_input_tokens", CACHE_WRITE_TOKENS)
                    .put("cache_read_input_tokens", CACHE_READ_TOKENS)
                    .put("output_tokens", output);
            if (withServiceTier) {
                usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", CACHE_WRITE_TOKENS)
                        .put("ephemeral_1h_input_tokens", 0);
                usage.put("service_tier", "standard");
            }
            return usage;
        }

        private static String frame(String type, ObjectNode payload) throws IOException {
            ObjectNode event = NODES.objectNode().put("type", type);
            event.setAll(payload);
            return "event: " + type + "\ndata: " + JSON.writeValueAsString(event) + "\n\n";
        }
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode body = NODES.objectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("content-type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Each event its own HTTP chunk, a few ms apart, so the first chunk comes measurably before the last. */
    private static void stream(HttpExchange exchange, List<String> events, boolean breakMidway) throws IOException {
        exchange.getResponseHeaders().set("content-type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < events.size(); i++) {
            if (breakMidway && i == 2) {
                // throwing out of the handler makes the JDK server drop the socket mid-body
                throw new IOException("stream broken on purpose");
            }
            if (i > 0) {
                LockSupport.parkNanos(EVENT_PAUSE_NANOS);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("server stopping");
                }
            }
            out.write(events.get(i).getBytes(UTF_8));
            out.flush();
        }
        out.close();
        exchange.close();
    }
}
