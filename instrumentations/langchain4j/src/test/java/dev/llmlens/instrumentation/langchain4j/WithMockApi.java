package dev.llmlens.instrumentation.langchain4j;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.llmlens.instrumentation.testing.InstalledHooks;
import dev.llmlens.instrumentation.testing.RecordingObserver;
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

    OpenAiChatModel.OpenAiChatModelBuilder chatModelBuilder(String model) {
        return OpenAiChatModel.builder().baseUrl(api.baseUrl()).apiKey("test").modelName(model).maxRetries(0);
    }
}
