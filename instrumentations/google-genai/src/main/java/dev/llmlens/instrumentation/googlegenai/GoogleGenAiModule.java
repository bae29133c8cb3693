package dev.llmlens.instrumentation.googlegenai;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * com.google.genai:google-genai. Every client path (Client.models, client.async.models, chat sessions,
 * Gemini API or Vertex AI) ends in the package-private {@code private*} methods of Models and
 * AsyncModels, each exactly one HTTP round trip: they own the inference spans. The public
 * generateContent only adds the outer span of the SDK's automatic function calling loop, and AfcUtil
 * is where the SDK runs the app's Java methods as tools.
 */
public final class GoogleGenAiModule implements InstrumentationModule {

    private static final String GENAI = "com.google.genai.";
    private static final String HELPER = "dev.llmlens.instrumentation.googlegenai.helper.";

    @Override
    public String name() {
        return "google-genai";
    }

    @Override
    public List<String> requiredClassNames() {
        return List.of(
                GENAI + "Models",
                GENAI + "AsyncModels",
                GENAI + "ApiClient",
                GENAI + "AfcUtil",
                GENAI + "ResponseStream",
                GENAI + "types.GenerateContentResponseUsageMetadata");
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(
                HELPER + "GenAiRequests",
                HELPER + "GenAiRequests$Endpoint",
                HELPER + "GenAiResponses",
                HELPER + "GenAiContent",
                HELPER + "ObservedStreams",
                HELPER + "AfcRuns",
                HELPER + "AfcRuns$PendingCalls",
                HELPER + "AfcRuns$PendingCall",
                HELPER + "GoogleGenAiHooks");
    }

    @Override
    public List<Hook> hooks() {
        ElementMatcher.Junction<MethodDescription> roundTrips =
                named("privateGenerateContent").or(named("privateGenerateContentStream")).or(named("privateEmbedContent"))
                        .and(takesArgument(0, String.class));
        ElementMatcher.Junction<MethodDescription> generateContent = named("generateContent").and(takesArguments(3))
                .and(takesArgument(0, String.class))
                .and(takesArgument(1, named("java.util.List")))
                .and(takesArgument(2, named(GENAI + "types.GenerateContentConfig")));
        String iterator = GENAI + "ResponseStream$ResponseStreamIterator";
        return List.of(
                new Hook(GENAI + "Models", roundTrips, RoundTripAdvice.class.getName()),
                new Hook(GENAI + "AsyncModels", roundTrips, RoundTripAdvice.class.getName()),
                new Hook(GENAI + "Models", generateContent, GenerateContentAdvice.class.getName()),
                new Hook(GENAI + "AsyncModels", generateContent, GenerateContentAdvice.class.getName()),
                new Hook(GENAI + "AsyncModels", named("privateGenerateContentLoopAsync"), AsyncLoopAdvice.class.getName()),
                new Hook(GENAI + "AfcUtil", named("getFunctionResponseParts").and(takesArguments(2)),
                        FunctionCallsAdvice.class.getName()),
                new Hook(GENAI + "AfcUtil", named("getFunctionResponse").and(takesArguments(2))
                        .and(takesArgument(0, named("java.lang.reflect.Method"))), ToolAdvice.class.getName()),
                new Hook(iterator, named("next").and(takesArguments(0)).and(not(isBridge())), StreamNextAdvice.class.getName()),
                new Hook(iterator, named("hasNext").and(takesArguments(0)), StreamHasNextAdvice.class.getName()),
                new Hook(GENAI + "ResponseStream", named("close").and(takesArguments(0)), StreamCloseAdvice.class.getName()));
    }
}
