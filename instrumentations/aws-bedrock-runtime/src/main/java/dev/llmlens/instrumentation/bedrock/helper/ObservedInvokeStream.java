package dev.llmlens.instrumentation.bedrock.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/** InvokeModelWithResponseStream: each payload part is one vendor JSON chunk. */
final class ObservedInvokeStream extends ObservedEventStream<InvokeModelWithResponseStreamResponse, ResponseStream>
        implements InvokeModelWithResponseStreamResponseHandler {

    ObservedInvokeStream(InvokeModelWithResponseStreamResponseHandler app, InferenceCall call) {
        super(app, call);
    }

    @Override
    boolean observe(ResponseStream event) {
        if (event instanceof PayloadPart part && part.bytes() != null) {
            JsonNode chunk = Json.parse(part.bytes().asByteArrayUnsafe());
            if (LlmLens.capturesContent()) {
                BedrockResponses.guarded(() -> InvokeContent.readChunk(call, chunk));
            }
            return ModelBodies.readChunk(call, chunk);
        }
        return false;
    }
}
