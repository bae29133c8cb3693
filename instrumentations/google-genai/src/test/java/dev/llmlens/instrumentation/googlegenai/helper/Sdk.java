package dev.llmlens.instrumentation.googlegenai.helper;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.ApiClient;
import com.google.genai.Client;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import java.lang.reflect.Field;
import java.util.Date;

/** Real google-genai objects for the tests: clients that never send, responses parsed from API-shaped JSON. */
final class Sdk {

    private Sdk() {}

    static Client gemini(String baseUrl) {
        return Client.builder().apiKey("k").httpOptions(HttpOptions.builder().baseUrl(baseUrl).build()).build();
    }

    static Client vertex(String baseUrl) {
        return Client.builder().vertexAI(true).project("p").location("us-central1")
                .credentials(GoogleCredentials.create(new AccessToken("t", new Date(4_102_444_800_000L))))
                .httpOptions(HttpOptions.builder().baseUrl(baseUrl).build()).build();
    }

    /** The client's ApiClient, as Models and AsyncModels hold it (the field the advice reads). */
    static ApiClient apiClient(Client client) {
        try {
            Field field = Client.class.getDeclaredField("apiClient");
            field.setAccessible(true);
            return (ApiClient) field.get(client);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static GenerateContentResponse response(String usage, String finishReason) {
        return GenerateContentResponse.fromJson("""
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"index":0%s}],
                 "modelVersion":"gemini-2.5-flash","responseId":"resp-1"%s}
                """.formatted(finishReason == null ? "" : ",\"finishReason\":\"" + finishReason + "\"",
                usage == null ? "" : ",\"usageMetadata\":" + usage));
    }

    static final String FULL_USAGE = """
            {"promptTokenCount":120,"cachedContentTokenCount":40,"candidatesTokenCount":30,"thoughtsTokenCount":12,
             "totalTokenCount":162}""";

    static GenerateContentResponse functionCalls(String... namesAndIds) {
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < namesAndIds.length; i += 2) {
            parts.append(i == 0 ? "" : ",").append("{\"functionCall\":{\"name\":\"").append(namesAndIds[i]).append('"')
                    .append(namesAndIds[i + 1] == null ? "" : ",\"id\":\"" + namesAndIds[i + 1] + '"')
                    .append(",\"args\":{\"city\":\"Paris\"}}}");
        }
        return GenerateContentResponse.fromJson("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + parts
                + "]},\"finishReason\":\"STOP\"}]}");
    }

    static EmbedContentResponse embeddings(String json) {
        return EmbedContentResponse.fromJson(json);
    }
}
