package dev.llmlens.instrumentation.bedrock.helper;

import dev.llmlens.bootstrap.InferenceCall;
import java.util.List;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Reads the vendor-specific InvokeModel bodies and stream chunks. The shapes do not overlap, so the
 * keys a body has tell which family wrote it; a model id alone would miss application inference
 * profiles and custom models.
 */
final class ModelBodies {

    /** Bedrock appends this object to the last chunk of every model's stream. */
    static final String INVOCATION_METRICS = "amazon-bedrock-invocationMetrics";

    private ModelBodies() {}

    static void readResponse(InferenceCall call, JsonNode body) {
        if (body == null) {
            return;
        }
        JsonNode usage = Json.at(body, "usage");
        if (usage != null) {
            readUsageObject(call, usage);
        }
        // Anthropic's message id and Cohere's response id are the model's own ids for the generation
        if ("message".equals(Json.text(body, "type"))) {
            call.responseId = Json.text(body, "id");
        } else if (Json.text(body, "response_id") != null) {
            call.responseId = Json.text(body, "response_id");
        }
        // Titan text: one prompt count, one count per result
        Long titanInput = Json.number(body, "inputTextTokenCount");
        List<JsonNode> results = Json.array(body, "results");
        if (titanInput != null) {
            Long output = null;
            for (JsonNode result : results) {
                Long count = Json.number(result, "tokenCount");
                output = count == null ? output : (output == null ? 0 : output) + count;
                call.addFinishReason(Json.text(result, "completionReason"));
            }
            BedrockResponses.setUsage(call, titanInput, output, null, null);
        }
        // Llama
        if (Json.has(body, "prompt_token_count") || Json.has(body, "generation_token_count")) {
            BedrockResponses.setUsage(call, Json.number(body, "prompt_token_count"),
                    Json.number(body, "generation_token_count"), null, null);
        }
        // Cohere command-r (and its embed models' meta)
        JsonNode billed = Json.at(body, "meta", "billed_units");
        if (billed != null) {
            BedrockResponses.setUsage(call, Json.number(billed, "input_tokens"), Json.number(billed, "output_tokens"), null, null);
        }
        // Mistral: outputs[] (prompt API) or choices[] (chat API)
        for (String list : new String[] {"outputs", "choices", "generations"}) {
            for (JsonNode choice : Json.array(body, list)) {
                call.addFinishReason(firstText(choice, "stop_reason", "finish_reason"));
            }
        }
        call.addFinishReason(firstText(body, "stop_reason", "stopReason", "finish_reason", "completionReason"));
        readEmbeddingDimension(call, body);
    }

    /**
     * One stream chunk. @return whether it carries generated content, which is what the app waits for
     * (Anthropic's message_start, or a metrics-only tail, do not).
     */
    static boolean readChunk(InferenceCall call, JsonNode chunk) {
        if (chunk == null) {
            return false;
        }
        boolean content = false;
        String type = Json.text(chunk, "type");
        if ("message_start".equals(type)) {
            JsonNode message = Json.at(chunk, "message");
            call.responseId = Json.text(message, "id");
            JsonNode usage = Json.at(message, "usage");
            if (usage != null) {
                readUsageObject(call, usage);
            }
        } else if ("message_delta".equals(type)) {
            call.addFinishReason(Json.text(chunk, "delta", "stop_reason"));
            Long output = Json.number(chunk, "usage", "output_tokens");
            if (output != null) {
                call.outputTokens = output;
            }
        } else if ("content_block_start".equals(type) || "content_block_delta".equals(type)) {
            content = true;
        }
        // Nova's converse-shaped stream
        if (Json.has(chunk, "contentBlockDelta") || Json.has(chunk, "contentBlockStart")) {
            content = true;
        }
        call.addFinishReason(Json.text(chunk, "messageStop", "stopReason"));
        JsonNode novaUsage = Json.at(chunk, "metadata", "usage");
        if (novaUsage != null) {
            readUsageObject(call, novaUsage);
        }
        // Titan: outputText with running counts; Llama: generation with running counts
        if (Json.has(chunk, "outputText") || Json.has(chunk, "generation") || Json.has(chunk, "completion")) {
            content = true;
        }
        Long titanInput = Json.number(chunk, "inputTextTokenCount");
        Long titanOutput = Json.number(chunk, "totalOutputTextTokenCount");
        if (titanInput != null || titanOutput != null) {
            BedrockResponses.setUsage(call, titanInput, titanOutput, null, null);
        }
        if (Json.has(chunk, "prompt_token_count") || Json.has(chunk, "generation_token_count")) {
            BedrockResponses.setUsage(call, Json.number(chunk, "prompt_token_count"),
                    Json.number(chunk, "generation_token_count"), null, null);
        }
        call.addFinishReason(firstText(chunk, "completionReason", "stop_reason"));
        // Mistral
        for (String list : new String[] {"outputs", "choices"}) {
            for (JsonNode choice : Json.array(chunk, list)) {
                content = true;
                call.addFinishReason(firstText(choice, "stop_reason", "finish_reason"));
            }
        }
        // Cohere command-r
        String cohereEvent = Json.text(chunk, "event_type");
        if ("text-generation".equals(cohereEvent) || "tool-calls-generation".equals(cohereEvent)) {
            content = true;
        } else if ("stream-end".equals(cohereEvent)) {
            call.addFinishReason(Json.text(chunk, "finish_reason"));
            JsonNode billed = Json.at(chunk, "response", "meta", "billed_units");
            if (billed != null) {
                BedrockResponses.setUsage(call, Json.number(billed, "input_tokens"), Json.number(billed, "output_tokens"), null, null);
            }
        }
        readInvocationMetrics(call, Json.at(chunk, INVOCATION_METRICS));
        return content;
    }

    /** Bedrock's own counts: used for whatever the model's chunks did not tell. */
    private static void readInvocationMetrics(InferenceCall call, JsonNode metrics) {
        if (metrics == null) {
            return;
        }
        boolean inputKnown = call.inputTokens >= 0;
        BedrockResponses.setUsage(call,
                inputKnown ? null : Json.number(metrics, "inputTokenCount"),
                call.outputTokens >= 0 ? null : Json.number(metrics, "outputTokenCount"),
                inputKnown ? null : Json.number(metrics, "cacheReadInputTokenCount"),
                inputKnown ? null : Json.number(metrics, "cacheWriteInputTokenCount"));
    }

    /** Anthropic (snake case) and Nova (camel case) usage objects. */
    private static void readUsageObject(InferenceCall call, JsonNode usage) {
        Long input = Json.number(usage, "input_tokens");
        if (input != null || Json.has(usage, "output_tokens")) {
            BedrockResponses.setUsage(call, input, Json.number(usage, "output_tokens"),
                    Json.number(usage, "cache_read_input_tokens"), Json.number(usage, "cache_creation_input_tokens"));
        } else {
            BedrockResponses.setUsage(call, Json.number(usage, "inputTokens"), Json.number(usage, "outputTokens"),
                    Json.number(usage, "cacheReadInputTokenCount"), Json.number(usage, "cacheWriteInputTokenCount"));
        }
    }

    private static void readEmbeddingDimension(InferenceCall call, JsonNode body) {
        List<JsonNode> titan = Json.array(body, "embedding");
        if (!titan.isEmpty()) {
            call.embeddingsDimension = (long) titan.size();
            return;
        }
        List<JsonNode> cohere = Json.array(body, "embeddings");
        if (!cohere.isEmpty() && cohere.get(0).isArray()) {
            call.embeddingsDimension = (long) cohere.get(0).asArray().size();
        }
    }

    static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            String value = Json.text(node, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
