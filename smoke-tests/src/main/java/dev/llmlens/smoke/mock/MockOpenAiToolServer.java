package dev.llmlens.smoke.mock;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenAI chat completions for a framework's tool loop: a request that declares tools and has no tool
 * result yet is answered with a call of its first tool; one that carries a tool result, or declares
 * no tools, with a text answer. Each kind has its own fixed usage, so tests can add up exact tokens.
 */
public final class MockOpenAiToolServer extends LocalHttpServer<MockOpenAiToolServer> {

    public static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";
    public static final String TOOL_CALL_ID = "call_mock_1";
    public static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\"}";
    // usage of a plain answer, of the answer that asks for a tool, and of the answer after the tool ran
    public static final int PLAIN_PROMPT_TOKENS = 12;
    public static final int PLAIN_COMPLETION_TOKENS = 3;
    public static final int TOOL_CALL_PROMPT_TOKENS = 20;
    public static final int TOOL_CALL_COMPLETION_TOKENS = 5;
    public static final int AFTER_TOOL_PROMPT_TOKENS = 30;
    public static final int AFTER_TOOL_COMPLETION_TOKENS = 7;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicInteger chatRequests = new AtomicInteger();

    public MockOpenAiToolServer() {
        super(0, 2, "mock-openai-tools");
    }

    /** HTTP round trips served so far. */
    public int chatRequests() {
        return chatRequests.get();
    }

    @Override
    protected void handle(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        chatRequests.incrementAndGet();
        boolean hasToolResult = false;
        for (JsonNode message : request.path("messages")) {
            hasToolResult |= "tool".equals(message.path("role").asText());
        }
        JsonNode tools = request.path("tools");
        String body;
        if (tools.isArray() && !tools.isEmpty() && !hasToolResult) {
            String toolName = tools.get(0).path("function").path("name").asText();
            body = completion("chatcmpl-tool-1", "null", "[{\"id\":\"" + TOOL_CALL_ID + "\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"" + toolName + "\",\"arguments\":" + JSON.writeValueAsString(TOOL_ARGUMENTS)
                    + "}}]", "tool_calls", TOOL_CALL_PROMPT_TOKENS, TOOL_CALL_COMPLETION_TOKENS);
        } else if (hasToolResult) {
            body = completion("chatcmpl-tool-2", "\"It is sunny in Paris.\"", null, "stop",
                    AFTER_TOOL_PROMPT_TOKENS, AFTER_TOOL_COMPLETION_TOKENS);
        } else {
            body = completion("chatcmpl-plain", "\"Hello from mock\"", null, "stop",
                    PLAIN_PROMPT_TOKENS, PLAIN_COMPLETION_TOKENS);
        }
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String completion(String id, String content, String toolCalls, String finishReason,
                                     int promptTokens, int completionTokens) {
        return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"" + RESPONSE_MODEL
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + content
                + (toolCalls == null ? "" : ",\"tool_calls\":" + toolCalls)
                + "},\"finish_reason\":\"" + finishReason + "\"}],\"usage\":{\"prompt_tokens\":" + promptTokens
                + ",\"completion_tokens\":" + completionTokens + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}}";
    }
}
