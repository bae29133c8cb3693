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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the OpenAI HTTP API with the real payload shapes and fixed token counts, so
 * that tests can assert exact usage numbers. Serves {@code /v1/chat/completions} (JSON and SSE),
 * {@code /v1/responses} (JSON and SSE events), {@code /v1/embeddings}, the Azure OpenAI path shape
 * {@code /openai/deployments/{deployment}/...}, and errors chosen by the request's model: {@link
 * #MODEL_RATE_LIMITED}, {@link #MODEL_SERVER_ERROR}, {@link #MODEL_BROKEN_STREAM}.
 */
public final class MockOpenAiServer extends MockApiServer<MockOpenAiServer> {
    // Chat completions usage (non-streaming, and the include_usage chunk)
    public static final long CHAT_PROMPT_TOKENS = 42;
    public static final long CHAT_CACHED_TOKENS = 10;
    public static final long CHAT_COMPLETION_TOKENS = 17;
    public static final long CHAT_REASONING_TOKENS = 5;
    public static final long CHAT_TOTAL_TOKENS = CHAT_PROMPT_TOKENS + CHAT_COMPLETION_TOKENS;
    // Responses API usage (create, and the response.completed event)
    public static final long RESPONSES_INPUT_TOKENS = 31;
    public static final long RESPONSES_CACHED_TOKENS = 0;
    public static final long RESPONSES_OUTPUT_TOKENS = 12;
    public static final long RESPONSES_REASONING_TOKENS = 0;
    public static final long RESPONSES_TOTAL_TOKENS =
            RESPONSES_INPUT_TOKENS + RESPONSES_OUTPUT_TOKENS;
    // Embeddings usage
    public static final long EMBEDDING_PROMPT_TOKENS = 8;
    public static final long EMBEDDING_TOTAL_TOKENS = 8;

    /** The vector returned for every embedding input. */
    public static final List<Float> EMBEDDING =
            List.of(
                    0.0023064255f,
                    -0.009327292f,
                    0.015797347f,
                    -0.0077780345f,
                    0.024512f,
                    -0.0149f,
                    0.0031f,
                    0.0179f);

    /** The text deltas of a stream; together they are {@link #CONTENT}. */
    public static final List<String> STREAM_DELTAS = List.of("Hello", " from", " mock");

    /** The assistant text of every completion and response. */
    public static final String CONTENT = String.join("", STREAM_DELTAS);

    public static final String SYSTEM_FINGERPRINT = "fp_mock0001";
    public static final String SERVICE_TIER = "default";
    public static final String ORGANIZATION = "org-mock";

    /** Request model answered with HTTP 429 rate_limit_exceeded. */
    public static final String MODEL_RATE_LIMITED = "mock-429";

    /** Request model answered with HTTP 500 server_error. */
    public static final String MODEL_SERVER_ERROR = "mock-500";

    /** Request model whose stream sends two events, then drops the connection. */
    public static final String MODEL_BROKEN_STREAM = "mock-broken-stream";

    /**
     * Request model that runs a tool loop: a request declaring tools and holding no tool result yet is
     * answered (non-streaming) with a call of its first tool; once a tool result is in, with the
     * ordinary answer.
     */
    public static final String MODEL_TOOL_CALLS = "mock-tool-calls";

    /**
     * Request model of a runaway agent: it asks for the same tool call with the same arguments until
     * {@link #TOOL_LOOP_ROUNDS} tool results are in, then answers.
     */
    public static final String MODEL_TOOL_LOOP = "mock-tool-loop";
    public static final int TOOL_LOOP_ROUNDS = 8;

    public static final int DEFAULT_CHUNK_DELAY_MILLIS = 5;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENDPOINTS =
            Set.of("/v1/chat/completions", "/v1/responses", "/v1/embeddings");
    private static final Pattern AZURE_PATH = Pattern.compile("/openai/deployments/([^/]+)(/.+)");
    private static final Pattern DATED_MODEL = Pattern.compile(".*-\\d{4}-\\d{2}-\\d{2}");

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile int chunkDelayMillis = DEFAULT_CHUNK_DELAY_MILLIS;

    public MockOpenAiServer() {
        this(0);
    }

    /**
     * @param port the port to bind on 127.0.0.1; 0 picks a free one
     */
    public MockOpenAiServer(int port) {
        super(port, "mock-openai");
    }

    /**
     * The OpenAI-style base URL, {@code http://127.0.0.1:PORT/v1}; request paths are recorded with their
     * query string (e.g. the Azure {@code ?api-version=}).
     */
    public String baseUrl() {
        return origin() + "/v1";
    }

    /** Raw request bodies, in arrival order. */
    public List<String> requestBodies() {
        return List.copyOf(bodies);
    }

    /** Forgets received requests and restarts the id sequence at 1; keeps the chunk delay. */
    @Override
    public void reset() {
        super.reset();
        bodies.clear();
    }

    /** Pause between two streamed events, so time-to-first-chunk differs from total duration. */
    public void setChunkDelayMillis(int millis) {
        if (millis < 0) throw new IllegalArgumentException("negative delay: " + millis);
        chunkDelayMillis = millis;
    }


    /**
     * The model name the API reports for a request model: OpenAI answers with the dated snapshot
     * ({@code gpt-4o-mini} → {@code gpt-4o-mini-2024-07-18}). Other undated models get {@code
     * -2025-01-01}; a model that already is a dated snapshot is returned as is.
     */
    public static String responseModel(String requestModel) {
        if (requestModel.equals("gpt-4o-mini")) return "gpt-4o-mini-2024-07-18";
        return DATED_MODEL.matcher(requestModel).matches()
                ? requestModel
                : requestModel + "-2025-01-01";
    }

    /**
     * Starts on the port in args[0] (default 0 = ephemeral), prints {@code MOCK_OPENAI_PORT=<port>}
     * and serves until stdin closes or the process is killed.
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        try (MockOpenAiServer mock = new MockOpenAiServer(port).start()) {
            System.out.println("MOCK_OPENAI_PORT=" + mock.port());
            System.out.flush();
            // All server threads are daemons: this blocking read is what keeps the JVM up.
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        long startNanos = System.nanoTime();
        int n = received(exchange.getRequestURI().toString());
        String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
        bodies.add(body);
        try {
            new Call(exchange, n, startNanos).dispatch(body);
            exchange.close();
        } catch (AbortConnection e) {
            // Must not close the exchange (that would end the chunked body cleanly): the JDK server
            // closes the socket when a handler throws, which is the abrupt cut we want.
            throw e;
        } catch (RuntimeException e) {
            System.err.println("MockOpenAiServer: request " + n + " failed: " + e);
            throw e;
        }
    }

    /** One request: its exchange, sequence number and the ids derived from it. */
    private final class Call {
        private final HttpExchange exchange;
        private final int n;
        private final long startNanos;
        private final long created = Instant.now().getEpochSecond();

        Call(HttpExchange exchange, int n, long startNanos) {
            this.exchange = exchange;
            this.n = n;
            this.startNanos = startNanos;
        }

        void dispatch(String body) throws IOException {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String deployment = null;
            Matcher azure = AZURE_PATH.matcher(path);
            if (azure.matches()) {
                deployment = azure.group(1);
                path = "/v1" + azure.group(2);
            }
            if (!method.equals("POST") || !ENDPOINTS.contains(path)) {
                error(
                        404,
                        "Invalid URL (" + method + " " + exchange.getRequestURI().getPath() + ")",
                        "invalid_request_error",
                        null);
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                request = null;
            }
            if (request == null || !request.isObject()) {
                error(
                        400,
                        "We could not parse the JSON body of your request. (HINT: This likely means you"
                                + " aren't using your HTTP library correctly.)",
                        "invalid_request_error",
                        null);
                return;
            }
            // Azure clients address the deployment in the path; the body's model wins when present.
            String model = request.path("model").asText(deployment);
            if (model == null || model.isEmpty()) {
                error(400, "you must provide a model parameter", "invalid_request_error", null);
                return;
            }
            if (model.equals(MODEL_RATE_LIMITED)) {
                exchange.getResponseHeaders().set("retry-after", "0");
                exchange.getResponseHeaders().set("x-ratelimit-remaining-requests", "0");
                error(
                        429,
                        "Rate limit reached for "
                                + model
                                + " in organization "
                                + ORGANIZATION
                                + " on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 0s."
                                + " Visit https://platform.openai.com/account/rate-limits to learn more.",
                        "requests",
                        "rate_limit_exceeded");
                return;
            }
            if (model.equals(MODEL_SERVER_ERROR)) {
                error(
                        500,
                        "The server had an error while processing your request.",
                        "server_error",
                        null);
                return;
            }
            boolean stream = request.path("stream").asBoolean(false);
            boolean broken = model.equals(MODEL_BROKEN_STREAM);
            switch (path) {
                case "/v1/chat/completions" -> {
                    if (stream) {
                        boolean includeUsage =
                                request.path("stream_options").path("include_usage").asBoolean();
                        sse(chatChunks(responseModel(model), includeUsage), broken);
                    } else if (model.equals(MODEL_TOOL_CALLS) && toolResults(request) == 0 && declaresTools(request)
                            || model.equals(MODEL_TOOL_LOOP) && toolResults(request) < TOOL_LOOP_ROUNDS && declaresTools(request)) {
                        json(200, toolCallCompletion(responseModel(model), request));
                    } else {
                        json(200, chatCompletion(responseModel(model)));
                    }
                }
                case "/v1/responses" -> {
                    if (stream) sse(responseEvents(responseModel(model)), broken);
                    else
                        json(
                                200,
                                response(
                                        responseModel(model),
                                        "completed",
                                        List.of(message(true)),
                                        true));
                }
                default -> {
                    JsonNode input = request.path("input");
                    boolean base64 =
                            request.path("encoding_format").asText("float").equals("base64");
                    json(
                            200,
                            embeddings(
                                    model,
                                    input.isArray() ? Math.max(1, input.size()) : 1,
                                    base64));
                }
            }
        }

        private Map<String, Object> chatCompletion(String model) {
            Map<String, Object> message =
                    obj(
                            "role",
                            "assistant",
                            "content",
                            CONTENT,
                            "refusal",
                            null,
                            "annotations",
                            List.of());
            return obj(
                    "id",
                    "chatcmpl-mock-" + n,
                    "object",
                    "chat.completion",
                    "created",
                    created,
                    "model",
                    model,
                    "choices",
                    List.of(
                            obj(
                                    "index",
                                    0,
                                    "message",
                                    message,
                                    "logprobs",
                                    null,
                                    "finish_reason",
                                    "stop")),
                    "usage",
                    chatUsage(),
                    "service_tier",
                    SERVICE_TIER,
                    "system_fingerprint",
                    SYSTEM_FINGERPRINT);
        }

        private static boolean declaresTools(JsonNode request) {
            return request.path("tools").isArray() && !request.path("tools").isEmpty();
        }

        private static int toolResults(JsonNode request) {
            int results = 0;
            for (JsonNode message : request.path("messages")) {
                if (message.path("role").asText().equals("tool")) results++;
            }
            return results;
        }

        /** A call of the request's first tool, with a value of the declared type for each parameter. */
        private Map<String, Object> toolCallCompletion(String model, JsonNode request) {
            JsonNode function = request.path("tools").get(0).path("function");
            Map<String, Object> arguments = new LinkedHashMap<>();
            function.path("parameters").path("properties").fields().forEachRemaining(p -> {
                String type = p.getValue().path("type").asText();
                arguments.put(p.getKey(), type.equals("integer") || type.equals("number") ? (Object) 2
                        : type.equals("boolean") ? (Object) true : "mock");
            });
            String argumentsJson;
            try {
                argumentsJson = JSON.writeValueAsString(arguments);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Object> call = obj("id", "call_mock_" + n, "type", "function",
                    "function", obj("name", function.path("name").asText(), "arguments", argumentsJson));
            Map<String, Object> message = obj("role", "assistant", "content", null, "refusal", null,
                    "tool_calls", List.of(call), "annotations", List.of());
            return obj("id", "chatcmpl-mock-" + n, "object", "chat.completion", "created", created, "model", model,
                    "choices", List.of(obj("index", 0, "message", message, "logprobs", null, "finish_reason", "tool_calls")),
                    "usage", chatUsage(), "service_tier", SERVICE_TIER, "system_fingerprint", SYSTEM_FINGERPRINT);
        }

        private List<String> chatChunks(String model, boolean includeUsage) {
            List<Map<String, Object>> choices = new ArrayList<>();
            choices.add(
                    chunkChoice(obj("role", "assistant", "content", "", "refusal", null), null));
            STREAM_DELTAS.forEach(delta -> choices.add(chunkChoice(obj("content", delta), null)));
            choices.add(chunkChoice(obj(), "stop"));
            List<String> events = new ArrayList<>();
            for (Map<String, Object> choice : choices) {
                events.add(data(chatChunk(model, List.of(choice), includeUsage, null)));
            }
            // Like the real API: with include_usage every chunk carries "usage": null, and one more
            // chunk with no choices carries the totals.
            if (includeUsage) events.add(data(chatChunk(model, List.of(), true, chatUsage())));
            events.add("data: [DONE]\n\n");
            return events;
        }

        private Map<String, Object> chatChunk(
                String model, List<?> choices, boolean withUsage, Object usage) {
            Map<String, Object> chunk =
                    obj(
                            "id",
                            "chatcmpl-mock-" + n,
                            "object",
                            "chat.completion.chunk",
                            "created",
                            created,
                            "model",
                            model,
                            "service_tier",
                            SERVICE_TIER,
                            "system_fingerprint",
                            SYSTEM_FINGERPRINT,
                            "choices",
                            choices);
            if (withUsage) chunk.put("usage", usage);
            return chunk;
        }

        private List<String> responseEvents(String model) {
            String itemId = "msg_mock_" + n;
            Object[] at = {"item_id", itemId, "output_index", 0, "content_index", 0};
            List<String> events = new ArrayList<>();
            Map<String, Object> inProgress = response(model, "in_progress", List.of(), false);
            events.add(event(events.size(), "response.created", "response", inProgress));
            events.add(event(events.size(), "response.in_progress", "response", inProgress));
            events.add(
                    event(
                            events.size(),
                            "response.output_item.added",
                            "output_index",
                            0,
                            "item",
                            message(false)));
            events.add(
                    event(
                            events.size(),
                            "response.content_part.added",
                            concat(at, "part", text(""))));
            for (String delta : STREAM_DELTAS) {
                events.add(
                        event(
                                events.size(),
                                "response.output_text.delta",
                                concat(at, "delta", delta, "logprobs", List.of())));
            }
            events.add(
                    event(
                            events.size(),
                            "response.output_text.done",
                            concat(at, "text", CONTENT, "logprobs", List.of())));
            events.add(
                    event(
                            events.size(),
                            "response.content_part.done",
                            concat(at, "part", text(CONTENT))));
            events.add(
                    event(
                            events.size(),
                            "response.output_item.done",
                            "output_index",
                            0,
                            "item",
                            message(true)));
            events.add(
                    event(
                            events.size(),
                            "response.completed",
                            "response",
                            response(model, "completed", List.of(message(true)), true)));
            return events;
        }

        private Map<String, Object> response(
                String model, String status, List<?> output, boolean withUsage) {
            Map<String, Object> usage =
                    !withUsage
                            ? null
                            : obj(
                                    "input_tokens", RESPONSES_INPUT_TOKENS,
                                    // openai-java 4.101 requires cache_write_tokens here
                                    // (validation fails without it)
                                    "input_tokens_details",
                                            obj(
                                                    "cached_tokens",
                                                    RESPONSES_CACHED_TOKENS,
                                                    "cache_write_tokens",
                                                    0),
                                    "output_tokens", RESPONSES_OUTPUT_TOKENS,
                                    "output_tokens_details",
                                            obj("reasoning_tokens", RESPONSES_REASONING_TOKENS),
                                    "total_tokens", RESPONSES_TOTAL_TOKENS);
            return obj(
                    "id",
                    "resp_mock_" + n,
                    "object",
                    "response",
                    "created_at",
                    created,
                    "status",
                    status,
                    "background",
                    false,
                    "error",
                    null,
                    "incomplete_details",
                    null,
                    "instructions",
                    null,
                    "max_output_tokens",
                    null,
                    "max_tool_calls",
                    null,
                    "model",
                    model,
                    "output",
                    output,
                    "parallel_tool_calls",
                    true,
                    "previous_response_id",
                    null,
                    "prompt_cache_key",
                    null,
                    "reasoning",
                    obj("effort", null, "summary", null),
                    "safety_identifier",
                    null,
                    "service_tier",
                    SERVICE_TIER,
                    "store",
                    true,
                    "temperature",
                    1.0,
                    "text",
                    obj("format", obj("type", "text"), "verbosity", "medium"),
                    "tool_choice",
                    "auto",
                    "tools",
                    List.of(),
                    "top_logprobs",
                    0,
                    "top_p",
                    1.0,
                    "truncation",
                    "disabled",
                    "usage",
                    usage,
                    "user",
                    null,
                    "metadata",
                    obj());
        }

        private Map<String, Object> message(boolean done) {
            return obj(
                    "id",
                    "msg_mock_" + n,
                    "type",
                    "message",
                    "status",
                    done ? "completed" : "in_progress",
                    "content",
                    done ? List.of(text(CONTENT)) : List.of(),
                    "role",
                    "assistant");
        }

        private Map<String, Object> embeddings(String model, int inputs, boolean base64) {
            // openai-java asks for base64 by default; the real API then sends little-endian
            // float32s.
            Object vector = EMBEDDING;
            if (base64) {
                ByteBuffer bytes =
                        ByteBuffer.allocate(4 * EMBEDDING.size()).order(ByteOrder.LITTLE_ENDIAN);
                EMBEDDING.forEach(bytes::putFloat);
                vector = Base64.getEncoder().encodeToString(bytes.array());
            }
            List<Object> data = new ArrayList<>();
            for (int i = 0; i < inputs; i++) {
                data.add(obj("object", "embedding", "index", i, "embedding", vector));
            }
            return obj(
                    "object",
                    "list",
                    "data",
                    data,
                    "model",
                    model,
                    "usage",
                    obj(
                            "prompt_tokens",
                            EMBEDDING_PROMPT_TOKENS,
                            "total_tokens",
                            EMBEDDING_TOTAL_TOKENS));
        }

        private void error(int status, String message, String type, String code)
                throws IOException {
            json(
                    status,
                    obj(
                            "error",
                            obj("message", message, "type", type, "param", null, "code", code)));
        }

        private void json(int status, Object payload) throws IOException {
            byte[] bytes = JSON.writeValueAsBytes(payload);
            sendHeaders(status, "application/json", bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        /**
         * Writes each event as its own HTTP chunk; {@code breakAfterTwo} drops the connection after
         * two.
         */
        private void sse(List<String> events, boolean breakAfterTwo) throws IOException {
            sendHeaders(200, "text/event-stream; charset=utf-8", 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < events.size(); i++) {
                if (breakAfterTwo && i == 2) throw new AbortConnection();
                if (i > 0) pause();
                out.write(events.get(i).getBytes(UTF_8));
                out.flush();
            }
            out.close();
        }

        private void sendHeaders(int status, String contentType, long length) throws IOException {
            var headers = exchange.getResponseHeaders();
            headers.set("content-type", contentType);
            headers.set("x-request-id", "req_mock_" + n);
            headers.set("openai-organization", ORGANIZATION);
            headers.set("openai-version", "2020-10-01");
            headers.set(
                    "openai-processing-ms",
                    String.valueOf((System.nanoTime() - startNanos) / 1_000_000));
            headers.putIfAbsent("x-ratelimit-limit-requests", List.of("10000"));
            headers.putIfAbsent("x-ratelimit-remaining-requests", List.of("9999"));
            exchange.sendResponseHeaders(status, length);
        }

        private void pause() throws InterruptedIOException {
            try {
                Thread.sleep(chunkDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("server stopping");
            }
        }
    }

    private static Map<String, Object> chatUsage() {
        return obj(
                "prompt_tokens",
                CHAT_PROMPT_TOKENS,
                "completion_tokens",
                CHAT_COMPLETION_TOKENS,
                "total_tokens",
                CHAT_TOTAL_TOKENS,
                "prompt_tokens_details",
                obj("cached_tokens", CHAT_CACHED_TOKENS, "audio_tokens", 0),
                "completion_tokens_details",
                obj(
                        "reasoning_tokens",
                        CHAT_REASONING_TOKENS,
                        "audio_tokens",
                        0,
                        "accepted_prediction_tokens",
                        0,
                        "rejected_prediction_tokens",
                        0));
    }

    private static Map<String, Object> chunkChoice(Map<String, Object> delta, String finishReason) {
        return obj("index", 0, "delta", delta, "logprobs", null, "finish_reason", finishReason);
    }

    private static Map<String, Object> text(String text) {
        return obj(
                "type",
                "output_text",
                "annotations",
                List.of(),
                "logprobs",
                List.of(),
                "text",
                text);
    }

    /** A chat completions SSE event: data only. */
    private static String data(Object payload) {
        return "data: " + toJson(payload) + "\n\n";
    }

    /** A Responses API SSE event: named, with its type and sequence number in the payload. */
    private static String event(int sequenceNumber, String type, Object... fields) {
        Map<String, Object> payload = obj("type", type);
        payload.putAll(obj(fields));
        payload.put("sequence_number", sequenceNumber);
        return "event: " + type + "\ndata: " + toJson(payload) + "\n\n";
    }

    private static Object[] concat(Object[] first, Object... more) {
        Object[] all = new Object[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** An ordered JSON object from key/value pairs; values may be null (JSON null). */
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
            throw new UncheckedIOException(
                    e); // cannot happen for maps of strings, numbers and lists
        }
    }

    /** Thrown mid-stream to make the JDK server drop the connection without ending the body. */
    private static final class AbortConnection extends RuntimeException {
        AbortConnection() {
            super("connection dropped on purpose", null, false, false);
        }
    }
}
