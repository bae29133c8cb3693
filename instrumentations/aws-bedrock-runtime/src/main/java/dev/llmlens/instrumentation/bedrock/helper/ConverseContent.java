package dev.llmlens.instrumentation.bedrock.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Content capture for Converse and ConverseStream: system blocks, messages and tool specs at the
 * start, the output message (or a stream's blocks assembled from their deltas) at the end. Callers
 * call it only while capture is on.
 *
 * <p>The module is compiled against the first Converse release; blocks added later (reasoning,
 * documents, video, S3 sources) are read by member name through the SDK's generic field access, which
 * older versions simply answer with nothing.
 */
final class ConverseContent {

    private ConverseContent() {}

    static void readRequest(InferenceCall call, List<SystemContentBlock> system,
                            List<software.amazon.awssdk.services.bedrockruntime.model.Message> messages,
                            ToolConfiguration toolConfig) {
        BedrockResponses.guarded(() -> {
            if (!system.isEmpty()) {
                List<String> texts = new ArrayList<>();
                for (SystemContentBlock block : system) {
                    if (block.text() != null) {
                        texts.add(block.text());
                    }
                }
                call.systemInstructions = texts;
            }
        });
        BedrockResponses.guarded(() -> {
            List<Message> input = new ArrayList<>(messages.size());
            for (var message : messages) {
                input.add(message(message));
            }
            call.inputMessages = input;
        });
        if (toolConfig != null) {
            BedrockResponses.guarded(() -> call.toolDefinitions = toolDefinitions(toolConfig.tools()));
        }
    }

    static void readOutput(InferenceCall call, software.amazon.awssdk.services.bedrockruntime.model.Message message,
                           String stopReason) {
        Message output = call.output(0);
        if (message != null) {
            message.content().forEach(block -> output.add(part(block)));
        }
        output.finishReason = stopReason;
    }

    /** Only tool calls open with a start event; text and reasoning arrive as deltas alone. */
    static void blockStarted(InferenceCall call, ContentBlockStartEvent event) {
        if (event.start() != null && event.start().toolUse() != null) {
            Part toolCall = call.output(0).toolCall(event.start().toolUse().toolUseId(), index(event.contentBlockIndex()));
            toolCall.name = event.start().toolUse().name();
        }
    }

    static void blockDelta(InferenceCall call, ContentBlockDeltaEvent event) {
        var delta = event.delta();
        if (delta == null) {
            return;
        }
        Message output = call.output(0);
        if (delta.text() != null) {
            output.appendText(delta.text());
        } else if (delta.toolUse() != null) {
            output.toolCall(null, index(event.contentBlockIndex())).appendArguments(delta.toolUse().input());
        } else {
            Object reasoning = BedrockRequests.fieldValue(delta, "reasoningContent");
            if (reasoning instanceof SdkPojo reasoningDelta
                    && BedrockRequests.fieldValue(reasoningDelta, "text") instanceof String text) {
                output.appendReasoning(text);
            }
        }
    }

    static void finished(InferenceCall call, String stopReason) {
        call.output(0).finishReason = stopReason;
    }

    private static int index(Integer contentBlockIndex) {
        return contentBlockIndex == null ? -1 : contentBlockIndex;
    }

    private static Message message(software.amazon.awssdk.services.bedrockruntime.model.Message message) {
        List<Part> parts = new ArrayList<>();
        boolean onlyToolResults = message.hasContent() && !message.content().isEmpty();
        for (ContentBlock block : message.content()) {
            Part part = part(block);
            onlyToolResults &= Part.TOOL_CALL_RESPONSE.equals(part.type);
            parts.add(part);
        }
        // Converse sends tool results in a user message; semconv gives such a message the tool role
        Message captured = new Message(onlyToolResults ? "tool" : message.roleAsString());
        parts.forEach(captured::add);
        return captured;
    }

    private static Part part(ContentBlock block) {
        if (block.text() != null) {
            return Part.text(block.text());
        }
        if (block.image() != null) {
            ImageBlock image = block.image();
            String format = image.formatAsString();
            return media("image", format == null ? null : "image/" + format, image.source());
        }
        if (block.toolUse() != null) {
            ToolUseBlock toolUse = block.toolUse();
            return Part.toolCall(toolUse.toolUseId(), toolUse.name(), json(toolUse.input()));
        }
        if (block.toolResult() != null) {
            ToolResultBlock result = block.toolResult();
            return Part.toolCallResponse(result.toolUseId(), resultText(result.content()));
        }
        if (BedrockRequests.fieldValue(block, "reasoningContent") instanceof SdkPojo reasoning) {
            Object text = BedrockRequests.fieldValue(reasoning, "reasoningText") instanceof SdkPojo reasoningText
                    ? BedrockRequests.fieldValue(reasoningText, "text")
                    : null;
            // a redacted reasoning block has no text to show
            return text instanceof String reasoningText ? Part.reasoning(reasoningText) : new Part("redacted_reasoning");
        }
        if (BedrockRequests.fieldValue(block, "document") instanceof SdkPojo document) {
            return media("document", null, BedrockRequests.fieldValue(document, "source"));
        }
        if (BedrockRequests.fieldValue(block, "video") instanceof SdkPojo video) {
            Object format = BedrockRequests.fieldValue(video, "format");
            return media("video", format == null ? null : "video/" + format, BedrockRequests.fieldValue(video, "source"));
        }
        // guard content, cache points, citations, blocks newer than this helper
        return new Part("unknown");
    }

    /** Inline bytes recorded by their size; an S3 location (later SDKs) as a URI. */
    private static Part media(String modality, String mimeType, Object source) {
        if (!(source instanceof SdkPojo pojo)) {
            return Part.blob(modality, mimeType, -1);
        }
        if (BedrockRequests.fieldValue(pojo, "bytes") instanceof SdkBytes bytes) {
            return Part.blob(modality, mimeType, bytes.asByteBuffer().remaining());
        }
        if (BedrockRequests.fieldValue(pojo, "s3Location") instanceof SdkPojo s3
                && BedrockRequests.fieldValue(s3, "uri") instanceof String uri) {
            return Part.uri(modality, mimeType, uri);
        }
        return Part.blob(modality, mimeType, -1);
    }

    /** A tool result's content: its text and JSON blocks, in order (images in it are left out). */
    private static String resultText(List<ToolResultContentBlock> content) {
        StringBuilder text = new StringBuilder();
        for (ToolResultContentBlock block : content) {
            String piece = block.text() != null ? block.text() : json(block.json());
            if (piece != null) {
                text.append(text.length() == 0 ? "" : "\n").append(piece);
            }
        }
        return text.toString();
    }

    private static List<ToolDefinition> toolDefinitions(List<Tool> tools) {
        List<ToolDefinition> definitions = new ArrayList<>(tools.size());
        for (Tool tool : tools) {
            if (tool.toolSpec() != null) {
                var spec = tool.toolSpec();
                definitions.add(ToolDefinition.function(spec.name(), spec.description(),
                        spec.inputSchema() == null ? null : json(spec.inputSchema().json())));
            } else if (BedrockRequests.fieldValue(tool, "systemTool") instanceof SdkPojo systemTool) {
                // a tool Bedrock runs itself (later SDKs)
                Object name = BedrockRequests.fieldValue(systemTool, "name");
                definitions.add(new ToolDefinition("system_tool", name == null ? null : name.toString()));
            }
            // a cache point is a marker between tools, not a tool
        }
        return definitions;
    }

    /** The SDK's Document prints itself as JSON text. */
    static String json(Document document) {
        return document == null ? null : document.toString();
    }
}
