package dev.llmlens.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every shape the agent writes, validated against the semconv JSON schemas (copies under
 * test resources semconv/, source in SOURCE.md): full, cut, and with messages dropped.
 */
class ContentJsonSchemaTest {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private static Schema schema(String name) {
        InputStream in = ContentJsonSchemaTest.class.getResourceAsStream("semconv/gen-ai-" + name + ".json");
        return REGISTRY.getSchema(in);
    }

    private static void assertValid(String schemaName, String json) {
        List<?> errors = schema(schemaName).validate(json, InputFormat.JSON);
        assertEquals(List.of(), errors.stream().map(Object::toString).toList(), json);
    }

    /** Guards the guard: a wrong shape must fail, or the checks below prove nothing. */
    @Test
    void theSchemasRejectWhatTheyShould() {
        assertFalse(schema("output-messages").validate("[{\"role\":\"assistant\",\"parts\":[]}]", InputFormat.JSON)
                .isEmpty(), "finish_reason is required");
        assertFalse(schema("input-messages").validate("[{\"parts\":[]}]", InputFormat.JSON).isEmpty(), "role is required");
        assertFalse(schema("system-instructions").validate("[{\"content\":\"x\"}]", InputFormat.JSON).isEmpty());
        assertFalse(schema("tool-definitions").validate("[{\"type\":\"function\"}]", InputFormat.JSON).isEmpty());
    }

    @Test
    void everyPartTypeIsSchemaValid() {
        ContentJson content = new ContentJson(16 * 1024);
        Message user = Message.text("user", "Describe these");
        user.add(Part.blob("image", "image/png", 2048));
        user.add(Part.blob(null, "application/octet-stream", -1));
        user.add(Part.uri("image", "image/jpeg", "https://example.com/a.jpg"));
        user.add(Part.uri(null, null, "https://example.com/unknown"));
        Part file = new Part(Part.FILE);
        file.fileId = "file-1";
        file.modality = "document";
        user.add(file);
        user.add(new Part("input_audio").append("opaque"));
        Message assistant = new Message("assistant").add(Part.reasoning("thinking"))
                .add(Part.toolCall("c1", "get_weather", "{\"city\":\"Paris\"}"))
                .add(Part.toolCall("c2", "echo", "not json"))
                .add(Part.toolCall(null, null, null));
        Message tool = new Message("tool").add(Part.toolCallResponse("c1", "{\"temp\":21}"))
                .add(Part.toolCallResponse("c2", null));
        Message system = Message.text("system", "Be brief.");
        List<Message> input = List.of(system, user, assistant, tool);
        assertValid("input-messages", content.inputMessages(input));

        Message answer = Message.text("assistant", "Sunny");
        answer.finishReason = "tool_calls";
        Message unfinished = new Message("assistant").add(Part.toolCall("c3", "f", "{\"a\":"));
        assertValid("output-messages", content.outputMessages(List.of(answer, unfinished), "stop"));
        assertValid("system-instructions", content.systemInstructions(List.of("Be brief.", "Answer in French.")));
        assertValid("tool-definitions", content.toolDefinitions(List.of(
                ToolDefinition.function("get_weather", "Weather", "{\"type\":\"object\",\"properties\":{}}"),
                ToolDefinition.function("no_params", null, null),
                new ToolDefinition("web_search", "web_search"))));
    }

    @Test
    void truncatedShapesStaySchemaValid() {
        ContentJson small = new ContentJson(300);
        List<Message> input = new ArrayList<>();
        List<Message> output = new ArrayList<>();
        List<String> instructions = new ArrayList<>();
        List<ToolDefinition> tools = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            input.add(Message.text("user", "question " + i + " " + "q".repeat(i * 10)));
            Message choice = new Message("assistant").add(Part.toolCall("c" + i, "tool" + i, "{\"n\":" + i + "}"));
            choice.finishReason = "tool_calls";
            output.add(choice);
            instructions.add("rule " + i);
            tools.add(ToolDefinition.function("tool" + i, "does " + i, null));
        }
        String in = small.inputMessages(input);
        String out = small.outputMessages(output, "stop");
        String sys = small.systemInstructions(instructions);
        String defs = small.toolDefinitions(tools);
        for (String json : List.of(in, out, sys, defs)) {
            assertTrue(json.length() <= 300 && json.contains("…[truncated "), json);
        }
        assertValid("input-messages", in);
        assertValid("output-messages", out);
        assertValid("system-instructions", sys);
        assertValid("tool-definitions", defs);
    }

    @Test
    void objectArgumentsStayObjectsEvenWhenCut() {
        StringBuilder args = new StringBuilder("{");
        for (int i = 0; i < 100; i++) {
            args.append(i == 0 ? "" : ",").append("\"field").append(i).append("\":\"value ").append(i).append('"');
        }
        String json = new ContentJson(256).toolPayload(args.append('}').toString());
        assertTrue(json.startsWith("{\"field0\":") && json.endsWith("}") && json.length() <= 256, json);
        assertTrue(json.contains("\"_truncated\":\"…[truncated "), json);
    }
}
