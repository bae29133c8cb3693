package dev.llmlens.instrumentation.springai.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
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
        Map<String, String> endpoint = Map.of("apiKey", "test", "baseUrl", "http://127.0.0.1:9");
        Map<String, String> optionValues = new LinkedHashMap<>(Map.of("model", model));
        if (SPRING_AI_2) {
            optionValues.putAll(endpoint);
        }
        Object options = build(withStrings(OpenAiChatOptions.builder(), optionValues));
        Object builder = OpenAiChatModel.builder();
        Class<?> builderClass = builder.getClass();
        if (SPRING_AI_2) {
            accessible(builderClass.getMethod("options", OpenAiChatOptions.class)).invoke(builder, options);
        } else {
            Class<?> apiClass = Class.forName("org.springframework.ai.openai.api.OpenAiApi");
            Object api = build(withStrings(apiClass.getMethod("builder").invoke(null), endpoint));
            accessible(builderClass.getMethod("openAiApi", apiClass)).invoke(builder, api);
            accessible(builderClass.getMethod("defaultOptions", OpenAiChatOptions.class)).invoke(builder, options);
        }
        return (OpenAiChatModel) build(builder);
    }

    /** Calls each named one-string setter of a fluent builder, in order. */
    private static Object withStrings(Object builder, Map<String, String> values) throws ReflectiveOperationException {
        for (Map.Entry<String, String> value : values.entrySet()) {
            builder = accessible(builder.getClass().getMethod(value.getKey(), String.class)).invoke(builder, value.getValue());
        }
        return builder;
    }

    private static Object build(Object builder) throws ReflectiveOperationException {
        return builder.getClass().getMethod("build").invoke(builder);
    }

    /** 2.0 declares the setters on a builder base class that is not public. */
    private static Method accessible(Method method) {
        method.setAccessible(true);
        return method;
    }
}
