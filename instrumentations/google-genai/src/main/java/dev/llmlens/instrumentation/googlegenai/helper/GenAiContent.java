package dev.llmlens.instrumentation.googlegenai.helper;

import com.google.genai.JsonSerializable;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Tool;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Content capture for generateContent (sync, async, streams, chat sessions and the automatic function
 * calling loop, whose every round trip sends the whole history): contents, system instruction and
 * function declarations at the start, one output message per candidate at the end. Callers call it
 * only while capture is on.
 */
final class GenAiContent {

    private GenAiContent() {}

    static void readRequest(InferenceCall call, Object contents, GenerateContentConfig config) {
        if (contents instanceof List<?> list) {
            GenAiResponses.guarded(() -> {
                List<Message> input = new ArrayList<>(list.size());
                for (Object content : list) {
                    if (content instanceof Content message) {
                        input.add(message(message));
                    }
                }
                call.inputMessages = input;
            });
        }
        if (config != null) {
            GenAiResponses.guarded(() -> config.systemInstruction().ifPresent(
                    instruction -> call.systemInstructions = texts(instruction)));
            GenAiResponses.guarded(() -> config.tools().ifPresent(tools -> call.toolDefinitions = toolDefinitions(tools)));
        }
    }

    /**
     * A whole response (each candidate's parts as sent) or a stream's chunk (its parts appended to
     * what the earlier chunks of the same candidate said).
     */
    static void readOutput(InferenceCall call, GenerateContentResponse response) {
        List<Candidate> candidates = response.candidates().orElse(List.of());
        for (int position = 0; position < candidates.size(); position++) {
            Candidate candidate = candidates.get(position);
            Message output = call.output(candidate.index().orElse(position));
            for (com.google.genai.types.Part part : candidate.content().flatMap(Content::parts).orElse(List.of())) {
                if (call.stream && part.text().isPresent()) {
                    if (part.thought().orElse(false)) {
                        output.appendReasoning(part.text().get());
                    } else {
                        output.appendText(part.text().get());
                    }
                } else {
                    output.add(part(part));
                }
            }
            candidate.finishReason().ifPresent(reason -> output.finishReason = reason.toString().toLowerCase(Locale.ROOT));
        }
    }

    /** The arguments AfcUtil hands the app's method, as the model sent them. */
    static String toolArguments(Object args) {
        return args == null ? null : JsonSerializable.toJsonString(args);
    }

    /** What the app's method returned: the SDK sends it back to the model as the function's result. */
    static String toolResult(Object result) {
        if (result == null || result instanceof String) {
            return (String) result;
        }
        return JsonSerializable.toJsonString(result);
    }

    private static Message message(Content content) {
        List<com.google.genai.types.Part> sdkParts = content.parts().orElse(List.of());
        List<Part> parts = new ArrayList<>(sdkParts.size());
        boolean onlyFunctionResponses = !sdkParts.isEmpty();
        for (com.google.genai.types.Part sdkPart : sdkParts) {
            Part part = part(sdkPart);
            onlyFunctionResponses &= Part.TOOL_CALL_RESPONSE.equals(part.type);
            parts.add(part);
        }
        // Gemini sends function responses as a user turn; semconv gives such a message the tool role
        Message message = new Message(onlyFunctionResponses ? "tool" : role(content.role().orElse("user")));
        parts.forEach(message::add);
        return message;
    }

    private static String role(String geminiRole) {
        return "model".equals(geminiRole) ? "assistant" : geminiRole;
    }

    private static Part part(com.google.genai.types.Part part) {
        if (part.text().isPresent()) {
            return part.thought().orElse(false) ? Part.reasoning(part.text().get()) : Part.text(part.text().get());
        }
        if (part.functionCall().isPresent()) {
            var call = part.functionCall().get();
            return Part.toolCall(call.id().orElse(null), call.name().orElse(null),
                    call.args().map(JsonSerializable::toJsonString).orElse(null));
        }
        if (part.functionResponse().isPresent()) {
            var response = part.functionResponse().get();
            Part result = Part.toolCallResponse(response.id().orElse(null),
                    response.response().map(JsonSerializable::toJsonString).orElse(null));
            result.name = response.name().orElse(null);
            return result;
        }
        if (part.inlineData().isPresent()) {
            var blob = part.inlineData().get();
            String mimeType = blob.mimeType().orElse(null);
            return Part.blob(modality(mimeType), mimeType, blob.data().map(bytes -> (long) bytes.length).orElse(-1L));
        }
        if (part.fileData().isPresent()) {
            var file = part.fileData().get();
            String mimeType = file.mimeType().orElse(null);
            return Part.uri(modality(mimeType), mimeType, file.fileUri().orElse(null));
        }
        if (part.executableCode().isPresent()) {
            return new Part("executable_code").append(part.executableCode().get().code().orElse(null));
        }
        if (part.codeExecutionResult().isPresent()) {
            return new Part("code_execution_result").append(part.codeExecutionResult().get().output().orElse(null));
        }
        // a thought signature alone, video metadata, parts newer than this helper
        return new Part("unknown");
    }

    /** The semconv modality a MIME type stands for; null when it names none of them. */
    static String modality(String mimeType) {
        if (mimeType == null) {
            return null;
        }
        for (String modality : List.of("image", "audio", "video")) {
            if (mimeType.startsWith(modality + "/")) {
                return modality;
            }
        }
        return mimeType.startsWith("application/pdf") || mimeType.startsWith("text/") ? "document" : null;
    }

    private static List<String> texts(Content instruction) {
        List<String> texts = new ArrayList<>();
        for (com.google.genai.types.Part part : instruction.parts().orElse(List.of())) {
            part.text().ifPresent(texts::add);
        }
        return texts;
    }

    /** Function declarations (the AFC loop has turned the app's methods into them by now) and Google's own tools. */
    private static List<ToolDefinition> toolDefinitions(List<Tool> tools) {
        List<ToolDefinition> definitions = new ArrayList<>();
        for (Tool tool : tools) {
            for (FunctionDeclaration function : tool.functionDeclarations().orElse(List.of())) {
                String parameters = function.parametersJsonSchema().map(JsonSerializable::toJsonString)
                        .or(() -> function.parameters().map(schema -> schema.toJson()))
                        .orElse(null);
                definitions.add(ToolDefinition.function(function.name().orElse(null), function.description().orElse(null),
                        parameters));
            }
            builtIn(definitions, "google_search", tool.googleSearch());
            builtIn(definitions, "google_search_retrieval", tool.googleSearchRetrieval());
            builtIn(definitions, "code_execution", tool.codeExecution());
            builtIn(definitions, "url_context", tool.urlContext());
            builtIn(definitions, "retrieval", tool.retrieval());
            builtIn(definitions, "enterprise_web_search", tool.enterpriseWebSearch());
            builtIn(definitions, "google_maps", tool.googleMaps());
            builtIn(definitions, "computer_use", tool.computerUse());
        }
        return definitions;
    }

    /** A tool Google runs itself: named by its type, as it has no name of its own. */
    private static void builtIn(List<ToolDefinition> definitions, String type, Optional<?> config) {
        if (config.isPresent()) {
            definitions.add(new ToolDefinition(type, type));
        }
    }
}
