package dev.llmlens.instrumentation.bedrock.helper;

import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;

/** ConverseStream: content blocks are the chunks, messageStop has the stop reason, metadata (last) the usage. */
final class ObservedConverseStream extends ObservedEventStream<ConverseStreamResponse, ConverseStreamOutput>
        implements ConverseStreamResponseHandler {

    ObservedConverseStream(ConverseStreamResponseHandler app, InferenceCall call) {
        super(app, call);
    }

    @Override
    boolean observe(ConverseStreamOutput event) {
        if (event instanceof ContentBlockDeltaEvent || event instanceof ContentBlockStartEvent) {
            if (LlmLens.capturesContent()) {
                BedrockResponses.guarded(() -> {
                    if (event instanceof ContentBlockDeltaEvent delta) {
                        ConverseContent.blockDelta(call, delta);
                    } else {
                        ConverseContent.blockStarted(call, (ContentBlockStartEvent) event);
                    }
                });
            }
            return true;
        }
        if (event instanceof MessageStopEvent stop) {
            call.addFinishReason(stop.stopReasonAsString());
            if (LlmLens.capturesContent()) {
                ConverseContent.finished(call, stop.stopReasonAsString());
            }
        } else if (event instanceof ConverseStreamMetadataEvent metadata) {
            BedrockResponses.readUsage(call, metadata.usage());
        }
        return false;
    }
}
