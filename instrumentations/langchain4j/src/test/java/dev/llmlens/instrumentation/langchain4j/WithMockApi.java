package dev.llmlens.instrumentation.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.llmlens.instrumentation.testing.InstalledHooks;
import dev.llmlens.instrumentation.testing.RecordingObserver;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the module's hook tests share: the hooks applied in this JVM, a recording observer, a fresh OpenAI mock per test. */
abstract class WithMockApi {

    @RegisterExtension
    final RecordingObserver observer = new RecordingObserver();
    MockOpenAi api;

    @BeforeAll
    static void hook() {
        InstalledHooks.ensure(new LangChain4jModule());
    }

    @BeforeEach
    void startApi() throws Exception {
        api = new MockOpenAi();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    /** Streams an answer to {@code message}, each partial response appended to {@code text}; @return its end */
    CompletableFuture<ChatResponse> streamChat(String message, StringBuilder text) {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(api.baseUrl()).apiKey("test")
                .modelName("gpt-4o-mini").build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(message, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                text.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done;
    }

    OpenAiChatModel.OpenAiChatModelBuilder chatModelBuilder(String model) {
        return OpenAiChatModel.builder().baseUrl(api.baseUrl()).apiKey("test").modelName(model).maxRetries(0);
    }
}
