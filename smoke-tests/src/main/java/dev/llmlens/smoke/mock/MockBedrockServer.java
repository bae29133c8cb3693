package dev.llmlens.smoke.mock;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * A local stand-in for the Bedrock Runtime HTTP API: {@code POST /model/{modelId}/converse},
 * {@code /converse-stream}, {@code /invoke} and {@code /invoke-with-response-stream}, with each model
 * family's own body shapes and fixed token counts. Streams are AWS event-stream frames encoded by the
 * AWS eventstream library. Model ids {@link #MODEL_THROTTLED} and {@link #MODEL_SERVER_ERROR} answer
 * with the AWS JSON error format.
 */
public final class MockBedrockServer extends MockApiServer<MockBedrockServer> {

    // Converse / ConverseStream usage: Bedrock's inputTokens exclude the cached prompt
    public static final int CONVERSE_INPUT_TOKENS = 25;
    public static final int CONVERSE_OUTPUT_TOKENS = 17;
    public static final int CONVERSE_CACHE_READ_TOKENS = 100;
    public static final int CONVERSE_CACHE_WRITE_TOKENS = 40;
    // Converse with a Nova model: no cache
    public static final int NOVA_INPUT_TOKENS = 20;
    public static final int NOVA_OUTPUT_TOKENS = 6;
    // InvokeModel, Anthropic messages body
    public static final int ANTHROPIC_INPUT_TOKENS = 12;
    public static final int ANTHROPIC_CACHE_READ_TOKENS = 200;
    public static final int ANTHROPIC_CACHE_WRITE_TOKENS = 30;
    public static final int ANTHROPIC_OUTPUT_TOKENS = 9;
    // InvokeModelWithResponseStream, Anthropic
    public static final int ANTHROPIC_STREAM_INPUT_TOKENS = 11;
    public static final int ANTHROPIC_STREAM_OUTPUT_TOKENS = 9;
    public static final int TITAN_EMBED_INPUT_TOKENS = 7;
    public static final int TITAN_EMBED_DIMENSIONS = 256;
    public static final int LLAMA_PROMPT_TOKENS = 14;
    public static final int LLAMA_GENERATION_TOKENS = 3;
    /** Mistral's body has no counts: Bedrock sends them as headers only. */
    public static final int MISTRAL_INPUT_TOKENS = 19;
    public static final int MISTRAL_OUTPUT_TOKENS = 4;

    public static final String MODEL_THROTTLED = "mock-429";
    public static final String MODEL_SERVER_ERROR = "mock-500";
    public static final List<String> STREAM_DELTAS = List.of("Hello", " from", " Bedrock");

    private static final Pattern PATH = Pattern.compile("/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream)");

    public MockBedrockServer() {
        super(0, "mock-bedrock");
    }

    /** The endpoint override for the SDK's client builders; request paths are recorded decoded. */
    public String endpoint() {
        return origin();
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), UTF_8);
        received(path);
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Matcher matcher = PATH.matcher(path);
            if (!"POST".equals(exchange.getRequestMethod()) || !matcher.matches()) {
                error(exchange, 404, "UnknownOperationException", "no such operation: " + path);
                return;
            }
            String model = matcher.group(1);
            String operation = matcher.group(2);
            if (model.equals(MODEL_THROTTLED)) {
                error(exchange, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
            } else if (model.equals(MODEL_SERVER_ERROR)) {
                error(exchange, 500, "InternalServerException", "The server encountered an internal error.");
            } else {
                switch (operation) {
                    case "converse" -> json(exchange, converse(model), Map.of());
                    case "converse-stream" -> stream(exchange, converseEvents());
                    case "invoke" -> invoke(exchange, model);
                    default -> stream(exchange, invokeChunks(model));
                }
            }
        }
    }

    private static String converse(String model) {
        String usage = model.contains("nova")
                ? "{\"inputTokens\":%d,\"outputTokens\":%d,\"totalTokens\":%d}".formatted(NOVA_INPUT_TOKENS, NOVA_OUTPUT_TOKENS,
                        NOVA_INPUT_TOKENS + NOVA_OUTPUT_TOKENS)
                : ("{\"inputTokens\":%d,\"outputTokens\":%d,\"totalTokens\":%d,"
                        + "\"cacheReadInputTokens\":%d,\"cacheWriteInputTokens\":%d}").formatted(CONVERSE_INPUT_TOKENS,
                        CONVERSE_OUTPUT_TOKENS, CONVERSE_INPUT_TOKENS + CONVERSE_OUTPUT_TOKENS + CONVERSE_CACHE_READ_TOKENS
                                + CONVERSE_CACHE_WRITE_TOKENS, CONVERSE_CACHE_READ_TOKENS, CONVERSE_CACHE_WRITE_TOKENS);
        return """
                {"output":{"message":{"role":"assistant","content":[{"text":"%s"}]}},"stopReason":"end_turn",
                 "usage":%s,"metrics":{"latencyMs":412}}""".formatted(String.join("", STREAM_DELTAS), usage);
    }

    private static List<Message> converseEvents() {
        List<Message> events = new ArrayList<>();
        events.add(event("messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}"));
        for (String delta : STREAM_DELTAS) {
            events.add(event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"%s\"},\"p\":\"abcd\"}".formatted(delta)));
        }
        events.add(event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijk\"}"));
        events.add(event("messageStop", "{\"p\":\"abcdef\",\"stopReason\":\"end_turn\"}"));
        events.add(event("metadata", ("{\"metrics\":{\"latencyMs\":385},\"p\":\"abc\",\"usage\":{\"inputTokens\":%d,\"outputTokens\":%d,"
                + "\"totalTokens\":%d,\"cacheReadInputTokens\":%d,\"cacheWriteInputTokens\":%d}}").formatted(CONVERSE_INPUT_TOKENS,
                CONVERSE_OUTPUT_TOKENS, CONVERSE_INPUT_TOKENS + CONVERSE_OUTPUT_TOKENS + CONVERSE_CACHE_READ_TOKENS
                        + CONVERSE_CACHE_WRITE_TOKENS, CONVERSE_CACHE_READ_TOKENS, CONVERSE_CACHE_WRITE_TOKENS)));
        return events;
    }

    private static void invoke(HttpExchange exchange, String model) throws IOException {
        String text = String.join("", STREAM_DELTAS);
        if (model.contains("anthropic.")) {
            json(exchange, """
                    {"id":"msg_bdrk_01MockAnthropic","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001",
                     "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
                     "usage":{"input_tokens":%d,"cache_creation_input_tokens":%d,"cache_read_input_tokens":%d,"output_tokens":%d}}"""
                    .formatted(text, ANTHROPIC_INPUT_TOKENS, ANTHROPIC_CACHE_WRITE_TOKENS, ANTHROPIC_CACHE_READ_TOKENS,
                            ANTHROPIC_OUTPUT_TOKENS),
                    tokenHeaders(ANTHROPIC_INPUT_TOKENS, ANTHROPIC_OUTPUT_TOKENS));
        } else if (model.startsWith("amazon.titan-embed")) {
            StringBuilder vector = new StringBuilder();
            for (int i = 0; i < TITAN_EMBED_DIMENSIONS; i++) {
                vector.append(i == 0 ? "" : ",").append(((i * 37) % 200 - 100) / 1000.0);
            }
            json(exchange, "{\"embedding\":[%s],\"embeddingsByType\":{\"float\":[%s]},\"inputTextTokenCount\":%d}"
                    .formatted(vector, vector, TITAN_EMBED_INPUT_TOKENS), tokenHeaders(TITAN_EMBED_INPUT_TOKENS, 0));
        } else if (model.contains("meta.llama")) {
            json(exchange, "{\"generation\":\"%s\",\"prompt_token_count\":%d,\"generation_token_count\":%d,\"stop_reason\":\"stop\"}"
                    .formatted(text, LLAMA_PROMPT_TOKENS, LLAMA_GENERATION_TOKENS),
                    tokenHeaders(LLAMA_PROMPT_TOKENS, LLAMA_GENERATION_TOKENS));
        } else if (model.contains("mistral.")) {
            json(exchange, "{\"outputs\":[{\"text\":\"%s\",\"stop_reason\":\"stop\"}]}".formatted(text),
                    tokenHeaders(MISTRAL_INPUT_TOKENS, MISTRAL_OUTPUT_TOKENS));
        } else {
            error(exchange, 400, "ValidationException", "The provided model identifier is invalid.");
        }
    }

    /** Anthropic's SSE event payloads, each wrapped as Bedrock wraps them: a base64 chunk event. */
    private static List<Message> invokeChunks(String model) {
        List<String> chunks = new ArrayList<>();
        chunks.add(("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_01MockStream\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":%d,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}")
                .formatted(ANTHROPIC_STREAM_INPUT_TOKENS));
        chunks.add("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        for (String delta : STREAM_DELTAS) {
            chunks.add("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"%s\"}}".formatted(delta));
        }
        chunks.add("{\"type\":\"content_block_stop\",\"index\":0}");
        chunks.add("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":%d}}"
                .formatted(ANTHROPIC_STREAM_OUTPUT_TOKENS));
        chunks.add(("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":%d,\"outputTokenCount\":%d,"
                + "\"invocationLatency\":640,\"firstByteLatency\":210}}").formatted(ANTHROPIC_STREAM_INPUT_TOKENS, ANTHROPIC_STREAM_OUTPUT_TOKENS));
        List<Message> events = new ArrayList<>();
        for (String chunk : chunks) {
            String bytes = Base64.getEncoder().encodeToString(chunk.getBytes(UTF_8));
            events.add(event("chunk", "{\"bytes\":\"%s\",\"p\":\"abcd\"}".formatted(bytes)));
        }
        return events;
    }

    private static Map<String, String> tokenHeaders(int input, int output) {
        return Map.of("X-Amzn-Bedrock-Input-Token-Count", Integer.toString(input),
                "X-Amzn-Bedrock-Output-Token-Count", Integer.toString(output),
                "X-Amzn-Bedrock-Invocation-Latency", "318");
    }

    private static Message event(String type, String payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return new Message(headers, payload.getBytes(UTF_8));
    }

    private static void stream(HttpExchange exchange, List<Message> events) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
        exchange.getResponseHeaders().add("x-amzn-RequestId", "mock-request-" + System.nanoTime());
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (Message event : events) {
            ByteBuffer frame = event.toByteBuffer();
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            out.write(bytes);
            out.flush();
        }
    }

    private static void json(HttpExchange exchange, String body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        send(exchange, 200, body);
    }

    /** The AWS JSON protocol's error: the type in x-amzn-ErrorType, the message in the body. */
    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
        send(exchange, status, "{\"message\":\"%s\"}".formatted(message));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("x-amzn-RequestId", "mock-request-" + System.nanoTime());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
