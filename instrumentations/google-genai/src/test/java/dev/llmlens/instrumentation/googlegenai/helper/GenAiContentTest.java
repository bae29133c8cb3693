package dev.llmlens.instrumentation.googlegenai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.ApiClient;
import com.google.genai.Client;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Message;
import dev.llmlens.bootstrap.Part;
import dev.llmlens.bootstrap.ToolCall;
import dev.llmlens.bootstrap.ToolDefinition;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Content capture on real SDK objects parsed from API-shaped JSON; nothing here sends a request. */
class GenAiContentTest {

    private static final Client GEMINI = Sdk.gemini("http://localhost:8080/");
    private static final ApiClient CLIENT = Sdk.apiClient(GEMINI);

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();

    @AfterEach
    void captureOff() {
        LlmLens.captureContent(false);
    }

    @AfterAll
    static void closeClient() {
        GEMINI.close();
    }

    /** A second turn: the user asked with an image and a file, the model called a function, the SDK answered it. */
    private static List<Content> history() {
        return List.of(
                Content.fromJson("""
                        {"role":"user","parts":[{"text":"Weather here?"},
                          {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
                          {"fileData":{"mimeType":"application/pdf","fileUri":"gs://bucket/forecast.pdf"}}]}"""),
                Content.fromJson("""
                        {"role":"model","parts":[{"text":"The photo shows Paris.","thought":true},
                          {"functionCall":{"id":"call-1","name":"getWeather","args":{"city":"Paris"}}}]}"""),
                Content.fromJson("""
                        {"role":"user","parts":[{"functionResponse":{"id":"call-1","name":"getWeather",
                          "response":{"result":"rainy"}}}]}"""));
    }

    private static GenerateContentConfig config() {
        return GenerateContentConfig.fromJson("""
                {"systemInstruction":{"parts":[{"text":"You are terse."},{"text":"Answer in French."}]},
                 "tools":[{"functionDeclarations":[{"name":"getWeather","description":"Current weather of a city",
                            "parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}}}}]},
                          {"googleSearch":{}}]}""");
    }

    private InferenceCall roundTrip(String method, Object result) {
        InferenceCall call = GoogleGenAiHooks.enterRoundTrip(CLIENT, method, new Object[] {"gemini-2.5-flash", history(), config()});
        GoogleGenAiHooks.exitRoundTrip(call, result, null);
        assertTrue(observer.failures.isEmpty(), "instrumentation failures: " + observer.failures);
        return call;
    }

    private static List<String> types(Message message) {
        return message.parts.stream().map(part -> part.type).toList();
    }

    @Test
    void requestAndEveryCandidateAreCaptured() {
        LlmLens.captureContent(true);
        GenerateContentResponse response = GenerateContentResponse.fromJson("""
                {"candidates":[
                  {"index":0,"finishReason":"STOP","content":{"role":"model","parts":[
                    {"text":"Rain is likely.","thought":true},{"text":"Il pleut."}]}},
                  {"index":1,"finishReason":"MAX_TOKENS","content":{"role":"model","parts":[
                    {"functionCall":{"name":"getWeather","args":{"city":"Lyon"}}}]}}]}""");

        InferenceCall call = roundTrip("privateGenerateContent", response);

        assertEquals(List.of("You are terse.", "Answer in French."), call.systemInstructions);
        List<Message> input = call.inputMessages;
        assertEquals(List.of("user", "assistant", "tool"), input.stream().map(message -> message.role).toList());

        assertEquals(List.of("text", "blob", "uri"), types(input.get(0)));
        Part image = input.get(0).parts.get(1);
        assertEquals(List.of("image", "image/png"), List.of(image.modality, image.mimeType));
        assertEquals(8, image.blobBytes, "the size only; the bytes stay in the app");
        Part file = input.get(0).parts.get(2);
        assertEquals(List.of("document", "gs://bucket/forecast.pdf"), List.of(file.modality, file.uri));

        assertEquals(List.of("reasoning", "tool_call"), types(input.get(1)));
        assertEquals("The photo shows Paris.", input.get(1).parts.get(0).content());
        Part functionCall = input.get(1).parts.get(1);
        assertEquals(List.of("call-1", "getWeather", "{\"city\":\"Paris\"}"),
                List.of(functionCall.id, functionCall.name, functionCall.arguments()));

        Part functionResponse = input.get(2).parts.get(0);
        assertEquals(List.of("tool_call_response", "call-1", "{\"result\":\"rainy\"}"),
                List.of(functionResponse.type, functionResponse.id, functionResponse.response));

        List<ToolDefinition> tools = call.toolDefinitions;
        assertEquals(2, tools.size());
        assertEquals(List.of("function", "getWeather", "Current weather of a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"),
                List.of(tools.get(0).type, tools.get(0).name, tools.get(0).description, tools.get(0).parameters));
        assertEquals("google_search", tools.get(1).type);

        assertEquals(2, call.outputMessages.size());
        Message first = call.outputMessages.get(0);
        assertEquals("assistant", first.role);
        assertEquals("stop", first.finishReason);
        assertEquals(List.of("reasoning", "text"), types(first));
        assertEquals("Rain is likely.", first.parts.get(0).content());
        assertEquals("Il pleut.", first.parts.get(1).content());
        Message second = call.outputMessages.get(1);
        assertEquals("max_tokens", second.finishReason);
        assertEquals(List.of("tool_call"), types(second));
        assertNull(second.parts.get(0).id, "Gemini sent no id");
        assertEquals("{\"city\":\"Lyon\"}", second.parts.get(0).arguments());
    }

    @Test
    void streamChunksAreAssembledPerCandidate() {
        LlmLens.captureContent(true);
        Object stream = new Object();
        InferenceCall call = roundTrip("privateGenerateContentStream", stream);

        for (String chunk : List.of(
                "{\"candidates\":[{\"index\":0,\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Rain is\",\"thought\":true}]}}]}",
                "{\"candidates\":[{\"index\":0,\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\" likely.\",\"thought\":true}]}},"
                        + "{\"index\":1,\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Sunny\"}]}}]}",
                "{\"candidates\":[{\"index\":0,\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Il \"}]}}]}",
                "{\"candidates\":[{\"index\":0,\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"pleut.\"},"
                        + "{\"functionCall\":{\"id\":\"call-2\",\"name\":\"getWeather\",\"args\":{\"city\":\"Lyon\"}}}]},"
                        + "\"finishReason\":\"STOP\"},"
                        + "{\"index\":1,\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\" in Nice.\"}]},\"finishReason\":\"STOP\"}]}")) {
            GoogleGenAiHooks.streamChecked(stream, true, null);
            GoogleGenAiHooks.streamAdvanced(stream, GenerateContentResponse.fromJson(chunk), null);
        }
        GoogleGenAiHooks.streamChecked(stream, false, null);

        assertEquals(1, observer.endsOf(call).size());
        assertEquals(3, call.inputMessages.size());
        assertEquals(2, call.outputMessages.size());
        Message first = call.outputMessages.get(0);
        assertEquals(List.of("reasoning", "text", "tool_call"), types(first));
        assertEquals("Rain is likely.", first.parts.get(0).content());
        assertEquals("Il pleut.", first.parts.get(1).content());
        assertEquals("call-2", first.parts.get(2).id);
        assertEquals("{\"city\":\"Lyon\"}", first.parts.get(2).arguments());
        assertEquals("stop", first.finishReason);
        Message second = call.outputMessages.get(1);
        assertEquals(List.of("text"), types(second));
        assertEquals("Sunny in Nice.", second.parts.get(0).content());
        assertEquals("stop", second.finishReason);
    }

    public static Map<String, Object> getWeather(String city) {
        return Map.of("forecast", "rainy");
    }

    @Test
    void functionTheLoopRunsCarriesArgumentsAndResult() throws Exception {
        LlmLens.captureContent(true);
        Method method = GenAiContentTest.class.getMethod("getWeather", String.class);

        ToolCall tool = GoogleGenAiHooks.enterTool(method, Map.of("city", "Paris"));
        GoogleGenAiHooks.exitTool(tool, getWeather("Paris"), null);

        assertEquals("{\"city\":\"Paris\"}", tool.arguments);
        assertEquals("{\"forecast\":\"rainy\"}", tool.result);
        assertNull(observer.onlyEndOf(tool).error());
    }

    @Test
    void nothingIsCapturedWhileCaptureIsOff() throws Exception {
        InferenceCall call = roundTrip("privateGenerateContent", Sdk.response(null, "STOP"));
        Object stream = new Object();
        InferenceCall streamed = roundTrip("privateGenerateContentStream", stream);
        GoogleGenAiHooks.streamAdvanced(stream, Sdk.response(null, "STOP"), null);
        GoogleGenAiHooks.streamChecked(stream, false, null);
        ToolCall tool = GoogleGenAiHooks.enterTool(GenAiContentTest.class.getMethod("getWeather", String.class),
                Map.of("city", "Paris"));
        GoogleGenAiHooks.exitTool(tool, "rainy", null);

        for (InferenceCall each : List.of(call, streamed)) {
            assertEquals(List.of("stop"), each.finishReasons, "the call itself is still recorded");
            assertEquals(Arrays.asList(null, null, null, List.of()),
                    Arrays.asList(each.inputMessages, each.systemInstructions, each.toolDefinitions, each.outputMessages));
        }
        assertNull(tool.arguments);
        assertNull(tool.result);
    }
}
