package dev.llmlens.instrumentation.springai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * The tests are compiled against Spring AI 1.1.0 and run again on the newest 1.1 and on 2.0 (see the
 * module's pom). The few objects whose building API changed between the lines are built here, by
 * reflection, so the tests link on each.
 */
final class SpringAiVersions {

    /** The version the running surefire execution put on the class path. */
    static final String EXPECTED = System.getProperty("spring-ai.expected.version");
    static final boolean SPRING_AI_2 = EXPECTED.startsWith("2.");

    private SpringAiVersions() {}

    /** Fails when the class path does not hold the Spring AI the execution meant to test. */
    static void assertRunningExpectedVersion() {
        assertEquals(EXPECTED, ChatModel.class.getPackage().getImplementationVersion());
    }

    /**
     * An OpenAI chat model whose default model is {@code model}, pointed at a closed port: 1.1 builds it
     * on its own OpenAiApi, 2.0 on openai-java from the options.
     */
    static OpenAiChatModel openAiModel(String model) throws ReflectiveOperationException {
        Object options = OpenAiChatOptions.builder();
        options = invoke(options, "model", String.class, model);
        if (SPRING_AI_2) {
            options = invoke(options, "apiKey", String.class, "test");
            options = invoke(options, "baseUrl", String.class, "http://127.0.0.1:9");
        }
        options = options.getClass().getMethod("build").invoke(options);
        Object builder = OpenAiChatModel.builder();
        if (SPRING_AI_2) {
            builder = invoke(builder, "options", OpenAiChatOptions.class, options);
        } else {
            Class<?> apiClass = Class.forName("org.springframework.ai.openai.api.OpenAiApi");
            Object api = apiClass.getMethod("builder").invoke(null);
            api = invoke(api, "apiKey", String.class, "test");
            api = invoke(api, "baseUrl", String.class, "http://127.0.0.1:9");
            api = api.getClass().getMethod("build").invoke(api);
            builder = invoke(builder, "openAiApi", apiClass, api);
            builder = invoke(builder, "defaultOptions", OpenAiChatOptions.class, options);
        }
        return (OpenAiChatModel) builder.getClass().getMethod("build").invoke(builder);
    }

    private static Object invoke(Object target, String method, Class<?> parameter, Object argument)
            throws ReflectiveOperationException {
        Method setter = target.getClass().getMethod(method, parameter);
        setter.setAccessible(true);
        return setter.invoke(target, argument);
    }
}
