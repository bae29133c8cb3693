package dev.llmlens.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the content attributes look like: the semconv shapes, redacted, and cut to size as valid JSON. */
class ContentJsonTest {

    private final ContentJson content = new ContentJson(16 * 1024);

    @Test
    void theSemconvExampleIsWrittenExactly() {
        Message user = Message.text("user", "Weather in Paris?");
        Message assistant = new Message("assistant")
                .add(Part.toolCall("call_VSPygqKTWdrhaFErNvMV18Yl", "get_weather", "{\"location\":\"Paris\"}"));
        Message tool = new Message("tool").add(Part.toolCallResponse("call_VSPygqKTWdrhaFErNvMV18Yl", "rainy, 57°F"));
        assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather in Paris?\"}]},"
                        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_VSPygqKTWdrhaFErNvMV18Yl\","
                        + "\"name\":\"get_weather\",\"arguments\":{\"location\":\"Paris\"}}]},"
                        + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_VSPygqKTWdrhaFErNvMV18Yl\","
                        + "\"response\":\"rainy, 57°F\"}]}]",
                content.inputMessages(List.of(user, assistant, tool)));

        Message answer = Message.text("assistant", "The weather in Paris is currently rainy with a temperature of 57°F.");
        answer.finishReason = "stop";
        assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"The weather in Paris is currently"
                + " rainy with a temperature of 57°F.\"}],\"finish_reason\":\"stop\"}]", content.outputMessages(List.of(answer), "stop"));
        assertEquals("[{\"type\":\"text\",\"content\":\"You are a language translator.\"}]",
                content.systemInstructions(List.of("You are a language translator.")));
    }

    @Test
    void nothingCapturedWritesNothing() {
        assertNull(content.inputMessages(null));
        assertNull(content.inputMessages(List.of()));
        assertNull(content.outputMessages(List.of(), "stop"));
        assertNull(content.systemInstructions(null));
        assertNull(content.toolDefinitions(List.of()));
        assertNull(content.toolPayload(null));
    }

    @Test
    void providerFinishReasonsMapToTheSchemaValues() {
        for (String stop : List.of("stop", "end_turn", "stop_sequence", "STOP", "COMPLETE", "end", "completed")) {
            assertEquals("stop", ContentJson.finishReason(stop), stop);
        }
        for (String length : List.of("length", "max_tokens", "MAX_TOKENS", "max_output_tokens")) {
            assertEquals("length", ContentJson.finishReason(length), length);
        }
        for (String tool : List.of("tool_calls", "tool_use", "function_call")) {
            assertEquals("tool_call", ContentJson.finishReason(tool), tool);
        }
        for (String filter : List.of("content_filter", "SAFETY", "guardrail_intervened", "RECITATION", "content_filtered")) {
            assertEquals("content_filter", ContentJson.finishReason(filter), filter);
        }
        assertEquals("malformed_function_call", ContentJson.finishReason("MALFORMED_FUNCTION_CALL"));
        assertNull(ContentJson.finishReason(null));
    }

    @Test
    void aChoiceWithoutItsOwnFinishReasonTakesTheFallback() {
        Message mapped = Message.text("assistant", "a");
        mapped.finishReason = "end_turn";
        Message missing = Message.text("assistant", "b");
        assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"a\"}],\"finish_reason\":\"stop\"},"
                        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"b\"}],\"finish_reason\":\"error\"}]",
                content.outputMessages(List.of(mapped, missing), "error"));
    }

    @Test
    void argumentsAreJsonWhenTheyParseAndAStringWhenNot() {
        assertEquals("{\"city\":\"Paris\",\"days\":3,\"metric\":true,\"tags\":[\"a\",null,1.5e3]}",
                content.toolPayload(" {\"city\": \"Paris\", \"days\": 3, \"metric\": true, \"tags\": [\"a\", null, 1.5e3]} "));
        assertEquals("\"{\\\"city\\\": \\\"Par\"", content.toolPayload("{\"city\": \"Par"));
        assertEquals("\"sunny\\nand warm\"", content.toolPayload("sunny\nand warm"));
        assertEquals("\"[1, 2] and more\"", content.toolPayload("[1, 2] and more"));
        assertEquals("42", content.toolPayload("42"));
    }

    @Test
    void secretsAreRedactedInEveryLeafAndJsonArgumentsStayJson() {
        String key = "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
        Message user = Message.text("user", "my key is " + key);
        user.add(Part.uri("image", "image/png", "https://example.com/cat.png?token=" + key));
        Message assistant = new Message("assistant").add(Part.toolCall("c1", "login", "{\"api_key\":\"" + key + "\"}"));
        String json = content.inputMessages(List.of(user, assistant));
        assertFalse(json.contains(key), json);
        assertTrue(json.contains("\"content\":\"my key is [REDACTED:openai_key]\""), json);
        assertTrue(json.contains("\"arguments\":{\"api_key\":\"[REDACTED:"), json);
        assertTrue(json.contains("\"uri\":\"https://example.com/cat.png?token=[REDACTED:"), json);
        assertFalse(content.toolPayload("password=" + key).contains(key));
        assertFalse(content.systemInstructions(List.of("use " + key)).contains(key));
    }

    @Test
    void aRedactionThatBreaksJsonFallsBackToAString() {
        // the password rule replaces the bare number, which leaves no valid JSON behind
        String json = content.toolPayload("{\"password\": 12345678}");
        assertEquals("\"{\\\"password\\\": [REDACTED:secret_value]}\"", json);
    }

    @Test
    void mediaPartsNeverCarryBytesAndSayWhatWasLeftOut() {
        Message user = new Message("user")
                .add(Part.blob("image", "image/png", 1234))
                .add(Part.uri(null, "image/jpeg", "https://example.com/a.jpg"));
        Part file = new Part(Part.FILE);
        file.fileId = "file-abc";
        file.modality = "document";
        user.add(file);
        Part generic = new Part("input_audio_transcript").append("hello");
        user.add(generic);
        assertEquals("[{\"role\":\"user\",\"parts\":["
                        + "{\"type\":\"blob\",\"mime_type\":\"image/png\",\"modality\":\"image\",\"content\":\"\",\"omitted_bytes\":1234},"
                        + "{\"type\":\"uri\",\"mime_type\":\"image/jpeg\",\"modality\":\"image\",\"uri\":\"https://example.com/a.jpg\"},"
                        + "{\"type\":\"file\",\"modality\":\"document\",\"file_id\":\"file-abc\"},"
                        + "{\"type\":\"input_audio_transcript\",\"content\":\"hello\"}]}]",
                content.inputMessages(List.of(user)));
    }

    @Test
    void toolDefinitionsCarryParametersOnlyWhenPresent() {
        ToolDefinition weather = ToolDefinition.function("get_weather", "Current weather",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
        ToolDefinition search = new ToolDefinition("web_search", "web_search");
        assertEquals("[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Current weather\","
                        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}},"
                        + "{\"type\":\"web_search\",\"name\":\"web_search\"}]",
                content.toolDefinitions(List.of(weather, search)));
    }

    @Test
    void aLongTextIsCutAndSaysByHowMuch() {
        ContentJson small = new ContentJson(300);
        String text = "x".repeat(1000);
        String json = small.inputMessages(List.of(Message.text("user", text)));
        assertTrue(json.length() <= 300, json.length() + "");
        assertTrue(json.startsWith("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"xxx"), json);
        int kept = json.indexOf('…') - json.indexOf("xxx");
        assertTrue(json.endsWith("…[truncated " + (1000 - kept) + " chars]\"}]}]"), json);
        // as long as it may be: one more character would not fit
        assertTrue(json.length() > 300 - 2, json.length() + "");
    }

    @Test
    void shortTextsSurviveWhileTheLongOneIsCut() {
        ContentJson small = new ContentJson(400);
        Message question = Message.text("user", "What is in this file?");
        Message file = Message.text("user", "y".repeat(5000));
        String json = small.inputMessages(List.of(question, file));
        assertTrue(json.contains("\"What is in this file?\""), json);
        assertTrue(json.contains("…[truncated "), json);
        assertTrue(json.length() <= 400);
    }

    @Test
    void tooManyMessagesAreDroppedFromTheEndWithAMarkerPart() {
        ContentJson small = new ContentJson(256);
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            messages.add(Message.text(i % 2 == 0 ? "user" : "assistant", "message " + i));
        }
        String json = small.inputMessages(messages);
        assertTrue(json.length() <= 256, json);
        assertTrue(json.startsWith("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\""), json);
        assertTrue(json.matches(".*\\{\"type\":\"text\",\"content\":\"…\\[truncated \\d+ more messages]\"}]}]$"), json);
        assertParses(json);
    }

    @Test
    void cutOutputKeepsEveryRequiredField() {
        ContentJson small = new ContentJson(256);
        List<Message> choices = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Message choice = Message.text("assistant", "choice " + i + " " + "z".repeat(100));
            choice.finishReason = "length";
            choices.add(choice);
        }
        Object parsed = assertParses(small.outputMessages(choices, "stop"));
        for (Object message : (List<?>) parsed) {
            assertEquals("length", ((java.util.Map<?, ?>) message).get("finish_reason"));
        }
    }

    /** Random shapes and limits: always valid JSON, never over the limit, marked when cut, unchanged when not. */
    @Test
    void truncationPropertiesHoldForRandomContent() {
        Random random = new Random(42);
        for (int round = 0; round < 400; round++) {
            List<Message> messages = randomMessages(random);
            String whole = new ContentJson(Integer.MAX_VALUE).inputMessages(messages);
            int max = 256 + random.nextInt(whole.length() + 64);
            String json = new ContentJson(max).inputMessages(messages);
            assertNotNull(json, "round " + round);
            assertTrue(json.length() <= max, "round " + round + ": " + json.length() + " > " + max);
            assertParses(json);
            if (whole.length() <= max) {
                assertEquals(whole, json);
            } else {
                assertTrue(json.contains("…[truncated "), json);
            }
            String args = randomArguments(random);
            String payload = new ContentJson(256).toolPayload(args);
            assertTrue(payload.length() <= 256, payload);
            assertParses(payload);
        }
    }

    private static List<Message> randomMessages(Random random) {
        List<Message> messages = new ArrayList<>();
        int count = 1 + random.nextInt(12);
        for (int i = 0; i < count; i++) {
            Message message = new Message(random.nextBoolean() ? "user" : "assistant");
            int parts = 1 + random.nextInt(3);
            for (int p = 0; p < parts; p++) {
                switch (random.nextInt(3)) {
                    case 0 -> message.add(Part.text(randomText(random)));
                    case 1 -> message.add(Part.toolCall("call_" + i + p, "tool", randomArguments(random)));
                    default -> message.add(Part.toolCallResponse("call_" + i, randomText(random)));
                }
            }
            messages.add(message);
        }
        return messages;
    }

    private static String randomArguments(Random random) {
        if (random.nextInt(4) == 0) {
            return "{\"broken\": " + randomText(random);
        }
        StringBuilder json = new StringBuilder("{");
        int fields = random.nextInt(30);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                json.append(',');
            }
            json.append("\"k").append(f).append("\":");
            com.fasterxml.jackson.core.io.JsonStringEncoder encoder = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();
            json.append('"').append(encoder.quoteAsString(randomText(random))).append('"');
        }
        return json.append('}').toString();
    }

    /** Quotes, backslashes, control characters, emoji (surrogate pairs) and plain text, of any length. */
    private static String randomText(Random random) {
        String[] pieces = {"a", "quote\"", "back\\slash", "\n", "\u0001", "😀", "é", "word ", "\t"};
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(4) == 0 ? random.nextInt(3000) : random.nextInt(60);
        while (text.length() < length) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    private static Object assertParses(String json) {
        try {
            return JSON.std.anyFrom(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
