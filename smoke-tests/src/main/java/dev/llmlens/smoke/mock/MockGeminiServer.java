package dev.llmlens.smoke.mock;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Gemini REST API (and the Vertex AI paths google-genai uses) with the real
 * payload shapes and fixed token counts. Serves {@code models/{model}:generateContent},
 * {@code :streamGenerateContent?alt=sse}, {@code :batchEmbedContents} (Gemini API) and {@code :predict}
 * (Vertex AI embeddings), under any prefix ({@code /v1beta/}, {@code /v1beta1/projects/../locations/../publishers/google/}).
 * A request that declares function tools and has not yet sent a function response is answered with a
 * functionCall of its first declared function, so the SDK's automatic function calling really loops;
 * the request with the function's response gets the final text. Models {@link #MODEL_RATE_LIMITED}
 * and {@link #MODEL_SERVER_ERROR} answer with Google's error body.
 */
public final class MockGeminiServer extends MockApiServer<MockGeminiServer> {

    /** Usage of a plain answer (and of a stream's last chunk): cached ⊂ prompt, thinking billed as output. */
    public static final int PROMPT_TOKENS = 120;
    public static final int CACHED_TOKENS = 40;
    public static final int CANDIDATES_TOKENS = 30;
    public static final int THOUGHTS_TOKENS = 12;
    /** Usage of the answer that asks for a function call, and of the final answer after it. */
    public static final int CALL_PROMPT_TOKENS = 50;
    public static final int CALL_CANDIDATES_TOKENS = 8;
    public static final int FINAL_PROMPT_TOKENS = 70;
    public static final int FINAL_CANDIDATES_TOKENS = 20;
    /** Vertex AI counts the tokens of each embedded input. */
    public static final int EMBEDDING_TOKENS = 6;

    public static final List<String> STREAM_TEXTS = List.of("Hello", " from", " Gemini");
    public static final String TEXT = String.join("", STREAM_TEXTS);
    public static final List<Float> EMBEDDING = List.of(0.013f, -0.008f, 0.021f, 0.004f, -0.017f, 0.009f);
    /** The id the mock gives every function call, so a tool span can carry it. */
    public static final String FUNCTION_CALL_ID = "fc-mock-1";

    public static final String MODEL_RATE_LIMITED = "mock-429";
    public static final String MODEL_SERVER_ERROR = "mock-500";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile(".*/models/([^/:]+):([A-Za-z]+)");
    private static final int CHUNK_DELAY_MILLIS = 5;

    public MockGeminiServer() {
        super(0, "mock-gemini");
    }

    /** The base URL to give the SDK's HttpOptions; request paths are recorded with their query string. */
    public String baseUrl() {
        return origin() + "/";
    }

    /** What the API reports as modelVersion: the request's model without a "models/" prefix. */
    public static String responseModel(String requestModel) {
        return requestModel.startsWith("models/") ? requestModel.substring("models/".length()) : requestModel;
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        int n = received(exchange.getRequestURI().toString());
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
        try {
            if (!path.matches()) {
                json(exchange, 404, error(404, "Not found: " + exchange.getRequestURI(), "NOT_FOUND"));
                return;
            }
            String model = path.group(1);
            String method = path.group(2);
            switch (model) {
                case MODEL_RATE_LIMITED -> json(exchange, 429,
                        error(429, "Resource has been exhausted (e.g. check quota).", "RESOURCE_EXHAUSTED"));
                case MODEL_SERVER_ERROR -> json(exchange, 500,
                        error(500, "An internal error has occurred.", "INTERNAL"));
                default -> answer(exchange, n, model, method, request);
            }
        } finally {
            exchange.close();
        }
    }

    private void answer(HttpExchange exchange, int n, String model, String method, JsonNode request) throws IOException {
        String responseId = "mock-resp-" + n;
        switch (method) {
            case "generateContent" -> {
                String function = functionToCall(request);
                json(exchange, 200, function != null
                        ? response(responseId, model, functionCallContent(function), "STOP",
                                usage(CALL_PROMPT_TOKENS, 0, CALL_CANDIDATES_TOKENS, 0))
                        : answersFunction(request)
                                ? response(responseId, model, textContent(TEXT), "STOP",
                                        usage(FINAL_PROMPT_TOKENS, 0, FINAL_CANDIDATES_TOKENS, 0))
                                : response(responseId, model, textContent(TEXT), "STOP", fullUsage()));
            }
            case "streamGenerateContent" -> {
                List<Object> chunks = new ArrayList<>();
                for (int i = 0; i < STREAM_TEXTS.size(); i++) {
                    boolean last = i == STREAM_TEXTS.size() - 1;
                    // every chunk carries the prompt count; only the last one the final counts
                    chunks.add(response(responseId, model, textContent(STREAM_TEXTS.get(i)), last ? "STOP" : null,
                            last ? fullUsage() : obj("promptTokenCount", PROMPT_TOKENS, "totalTokenCount", PROMPT_TOKENS)));
                }
                sse(exchange, chunks);
            }
            case "batchEmbedContents" -> {
                List<Object> embeddings = new ArrayList<>();
                request.path("requests").forEach(r -> embeddings.add(obj("values", EMBEDDING)));
                json(exchange, 200, obj("embeddings", embeddings));
            }
            case "predict" -> {
                List<Object> predictions = new ArrayList<>();
                request.path("instances").forEach(i -> predictions.add(obj("embeddings", obj("values", EMBEDDING,
                        "statistics", obj("truncated", false, "token_count", EMBEDDING_TOKENS)))));
                json(exchange, 200, obj("predictions", predictions, "metadata", obj("billableCharacterCount", 11)));
            }
            default -> json(exchange, 404, error(404, "Unknown method " + method, "NOT_FOUND"));
        }
    }

    /** The first declared function, unless the conversation already carries a function response. */
    private static String functionToCall(JsonNode request) {
        if (answersFunction(request)) {
            return null;
        }
        for (JsonNode tool : request.path("tools")) {
            for (JsonNode declaration : tool.path("functionDeclarations")) {
                return declaration.path("name").asText();
            }
        }
        return null;
    }

    private static boolean answersFunction(JsonNode request) {
        for (JsonNode content : request.path("contents")) {
            for (JsonNode part : content.path("parts")) {
                if (part.has("functionResponse")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, Object> response(String id, String model, Map<String, Object> content, String finishReason,
                                                Map<String, Object> usage) {
        Map<String, Object> candidate = obj("content", content, "index", 0);
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        return obj("candidates", List.of(candidate), "usageMetadata", usage, "modelVersion", responseModel(model),
                "responseId", id);
    }

    private static Map<String, Object> textContent(String text) {
        return obj("role", "model", "parts", List.of(obj("text", text)));
    }

    private static Map<String, Object> functionCallContent(String function) {
        return obj("role", "model", "parts", List.of(obj("functionCall",
                obj("id", FUNCTION_CALL_ID, "name", function, "args", obj("city", "Paris")))));
    }

    private static Map<String, Object> fullUsage() {
        return usage(PROMPT_TOKENS, CACHED_TOKENS, CANDIDATES_TOKENS, THOUGHTS_TOKENS);
    }

    private static Map<String, Object> usage(int prompt, int cached, int candidates, int thoughts) {
        Map<String, Object> usage = obj("promptTokenCount", prompt, "candidatesTokenCount", candidates,
                "totalTokenCount", prompt + candidates + thoughts);
        if (cached > 0) {
            usage.put("cachedContentTokenCount", cached);
        }
        if (thoughts > 0) {
            usage.put("thoughtsTokenCount", thoughts);
        }
        return usage;
    }

    private static Map<String, Object> error(int code, String message, String status) {
        return obj("error", obj("code", code, "message", message, "status", status));
    }

    private static void json(HttpExchange exchange, int status, Object payload) throws IOException {
        byte[] body = toJson(payload).getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sse(HttpExchange exchange, List<Object> chunks) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < chunks.size(); i++) {
                if (i > 0) {
                    pause();
                }
                out.write(("data: " + toJson(chunks.get(i)) + "\r\n\r\n").getBytes(UTF_8));
                out.flush();
            }
        }
    }

    /** Between two chunks, so time to first chunk differs from the stream's duration. */
    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(CHUNK_DELAY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted between chunks");
        }
    }

    private static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String toJson(Object payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
