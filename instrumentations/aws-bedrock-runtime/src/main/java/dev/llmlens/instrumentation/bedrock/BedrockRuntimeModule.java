package dev.llmlens.instrumentation.bedrock;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * software.amazon.awssdk:bedrockruntime. Hooks the generated client implementations, which every
 * client built by the SDK's builders is; only the request-object overloads, because the
 * {@code Consumer<Builder>} overloads are interface defaults that build the request and land there.
 */
public final class BedrockRuntimeModule implements InstrumentationModule {

    private static final String SERVICE = "software.amazon.awssdk.services.bedrockruntime.";
    private static final String MODEL = SERVICE + "model.";
    private static final String HELPER = "dev.llmlens.instrumentation.bedrock.helper.";

    @Override
    public String name() {
        return "aws-bedrock-runtime";
    }

    @Override
    public List<String> requiredClassNames() {
        return List.of(
                SERVICE + "BedrockRuntimeClient",
                MODEL + "ConverseRequest",
                MODEL + "ConverseStreamResponseHandler",
                MODEL + "InvokeModelWithResponseStreamResponseHandler",
                "software.amazon.awssdk.protocols.jsoncore.JsonNodeParser",
                "software.amazon.awssdk.core.client.config.SdkClientOption");
    }

    @Override
    public List<String> helperClassNames() {
        return List.of(
                HELPER + "Json",
                HELPER + "ModelFamily",
                HELPER + "ModelBodies",
                HELPER + "InvokeContent",
                HELPER + "ConverseContent",
                HELPER + "BedrockRequests",
                HELPER + "BedrockRequests$Endpoint",
                HELPER + "BedrockResponses",
                HELPER + "ObservedEventStream",
                HELPER + "ObservedEventStream$ObservingPublisher",
                HELPER + "ObservedEventStream$ObservingSubscriber",
                HELPER + "ObservedConverseStream",
                HELPER + "ObservedInvokeStream",
                HELPER + "BedrockHooks");
    }

    @Override
    public List<Hook> hooks() {
        String sync = SERVICE + "DefaultBedrockRuntimeClient";
        String async = SERVICE + "DefaultBedrockRuntimeAsyncClient";
        return List.of(
                new Hook(sync, call("converse", "ConverseRequest"), ClientCallAdvice.class.getName()),
                new Hook(sync, call("invokeModel", "InvokeModelRequest"), ClientCallAdvice.class.getName()),
                new Hook(async, call("converse", "ConverseRequest"), ClientCallAdvice.class.getName()),
                new Hook(async, call("invokeModel", "InvokeModelRequest"), ClientCallAdvice.class.getName()),
                new Hook(async, stream("converseStream", "ConverseStreamRequest", "ConverseStreamResponseHandler"),
                        StreamCallAdvice.class.getName()),
                new Hook(async, stream("invokeModelWithResponseStream", "InvokeModelWithResponseStreamRequest",
                        "InvokeModelWithResponseStreamResponseHandler"), StreamCallAdvice.class.getName()));
    }

    private static ElementMatcher.Junction<MethodDescription> call(String method, String request) {
        return named(method).and(takesArguments(1)).and(takesArgument(0, named(MODEL + request)));
    }

    private static ElementMatcher.Junction<MethodDescription> stream(String method, String request, String handler) {
        return named(method).and(takesArguments(2))
                .and(takesArgument(0, named(MODEL + request)))
                .and(takesArgument(1, named(MODEL + handler)));
    }
}
