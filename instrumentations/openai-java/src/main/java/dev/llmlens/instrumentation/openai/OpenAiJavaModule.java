package dev.llmlens.instrumentation.openai;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.util.ArrayList;
import java.util.List;

/**
 * com.openai:openai-java. Hooks the service implementations every client path reaches (the builder,
 * fromEnv, withOptions and Azure mode all end up there), both the parsed (Impl) and the raw
 * (WithRawResponseImpl) layer; a call depth makes the outermost one record the call.
 */
public final class OpenAiJavaModule implements InstrumentationModule {

    private static final String SERVICES = "com.openai.services.";
    private static final String HELPER = "dev.llmlens.instrumentation.openai.helper.";

    @Override
    public String name() {
        return "openai-java";
    }

    @Override
    public List<String> requiredClassNames() {
        return List.of(
                "com.openai.core.ClientOptions",
                "com.openai.core.RequestOptions",
                "com.openai.core.http.StreamResponse",
                "com.openai.core.http.AsyncStreamResponse",
                "com.openai.models.chat.completions.ChatCompletionCreateParams");
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(
                HELPER + "OpenAiContent",
                HELPER + "OpenAiRequests",
                HELPER + "OpenAiRequests$Endpoint",
                HELPER + "OpenAiResponses",
                HELPER + "ObservedStream",
                HELPER + "ObservedStream$ObservingSpliterator",
                HELPER + "ObservedAsyncStream",
                HELPER + "ObservedAsyncStream$ObservingHandler",
                HELPER + "ObservedRawStream",
                HELPER + "OpenAiHooks");
    }

    @Override
    public List<Hook> hooks() {
        List<Hook> hooks = new ArrayList<>();
        service(hooks, "blocking.chat.ChatCompletionService", "chat.completions.ChatCompletionCreateParams", true);
        service(hooks, "async.chat.ChatCompletionService", "chat.completions.ChatCompletionCreateParams", true);
        service(hooks, "blocking.ResponseService", "responses.ResponseCreateParams", true);
        service(hooks, "async.ResponseService", "responses.ResponseCreateParams", true);
        service(hooks, "blocking.EmbeddingService", "embeddings.EmbeddingCreateParams", false);
        service(hooks, "async.EmbeddingService", "embeddings.EmbeddingCreateParams", false);
        return hooks;
    }

    private static void service(List<Hook> hooks, String service, String params, boolean streams) {
        String impl = SERVICES + service + (service.startsWith("async.") ? "AsyncImpl" : "Impl");
        var methods = (streams ? named("create").or(named("createStreaming")) : named("create"))
                .and(takesArguments(2))
                .and(takesArgument(0, named("com.openai.models." + params)))
                .and(takesArgument(1, named("com.openai.core.RequestOptions")));
        hooks.add(new Hook(impl, methods, ServiceCallAdvice.class.getName()));
        hooks.add(new Hook(impl + "$WithRawResponseImpl", methods, ServiceCallAdvice.class.getName()));
    }
}
