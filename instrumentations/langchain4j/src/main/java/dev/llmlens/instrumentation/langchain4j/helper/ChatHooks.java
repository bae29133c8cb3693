package dev.llmlens.instrumentation.langchain4j.helper;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model call through {@code ChatModel} / {@code StreamingChatModel}. The default {@code chat}
 * method is the frame: the call starts when it hands the merged request to the listeners, is current
 * while the provider's {@code doChat} runs (so an SDK hook below it covers it), and ends when the
 * listeners hear of the response or the error, on whichever thread that is. The call is stored in the
 * per-call listener attribute map, which is how the streaming callbacks find it.
 */
public final class ChatHooks {

    static final String MODULE = "langchain4j";
    /** Key of the call in the listener attributes; listeners that list the attributes see it. */
    static final String CALL_KEY = "dev.llmlens.inference-call";

    /** The chat frames open on this thread, innermost first. */
    private static final ThreadLocal<Frame> OPEN = new ThreadLocal<>();

    static final class Frame {
        final Object model;
        final boolean stream;
        final Frame outer;
        InferenceCall call;

        Frame(Object model, boolean stream, Frame outer) {
            this.model = model;
            this.stream = stream;
            this.outer = outer;
        }
    }

    private ChatHooks() {}

    /** @return the frame, passed back to {@link #exiting} */
    public static Object entering(Object model, String declaringType) {
        Frame frame = new Frame(model, declaringType != null && declaringType.endsWith("StreamingChatModel"), OPEN.get());
        OPEN.set(frame);
        return frame;
    }

    public static void requestStarting(Object request, Object modelProvider, Map<Object, Object> attributes) {
        try {
            Frame frame = OPEN.get();
            if (frame == null || frame.call != null || !(request instanceof ChatRequest chatRequest) || attributes == null) {
                return;
            }
            InferenceCall call = new InferenceCall(MODULE, Providers.of(modelProvider, frame.model), "chat");
            call.frameworkLevel = true;
            call.stream = frame.stream;
            readRequest(chatRequest, call);
            if (LlmLens.capturesContent()) {
                ChatContent.readRequest(chatRequest, call);
            }
            Providers.endpoint(frame.model, call);
            frame.call = call;
            attributes.put(CALL_KEY, call);
            LlmLens.start(call);
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        }
    }

    /**
     * The chat method returns. A sync call has ended by now (unless an Error escaped the listeners'
     * try block); a stream goes on on the SDK's thread, so this thread only leaves it.
     */
    public static void exiting(Object frameObject, Throwable error) {
        if (!(frameObject instanceof Frame frame)) {
            return;
        }
        OPEN.set(frame.outer);
        InferenceCall call = frame.call;
        if (call == null) {
            return;
        }
        if (error != null || !frame.stream) {
            LlmLens.end(call, error);
        } else {
            LlmLens.leave(call);
        }
    }

    public static void responded(Object response, Map<Object, Object> attributes) {
        InferenceCall call = callIn(attributes);
        if (call == null) {
            return;
        }
        try {
            if (response instanceof ChatResponse chatResponse) {
                readResponse(chatResponse, call);
            }
        } catch (Throwable t) {
            LlmLens.instrumentationError(MODULE, t);
        } finally {
            LlmLens.end(call);
        }
    }

    public static void failed(Throwable error, Map<Object, Object> attributes) {
        InferenceCall call = callIn(attributes);
        if (call != null) {
            LlmLens.end(call, error);
        }
    }

    public static void chunkSeen(Map<Object, Object> attributes) {
        InferenceCall call = callIn(attributes);
        if (call != null) {
            call.chunkSeen();
        }
    }

    private static InferenceCall callIn(Map<Object, Object> attributes) {
        Object call = attributes == null ? null : attributes.get(CALL_KEY);
        return call instanceof InferenceCall inferenceCall ? inferenceCall : null;
    }

    static void readRequest(ChatRequest request, InferenceCall call) {
        call.requestModel = request.modelName();
        call.temperature = request.temperature();
        call.topP = request.topP();
        Integer topK = request.topK();
        call.topK = topK == null ? null : topK.doubleValue();
        Integer maxTokens = request.maxOutputTokens();
        call.maxTokens = maxTokens == null ? null : maxTokens.longValue();
        call.frequencyPenalty = request.frequencyPenalty();
        call.presencePenalty = request.presencePenalty();
        List<String> stop = request.stopSequences();
        call.stopSequences = stop == null || stop.isEmpty() ? null : List.copyOf(stop);
    }

    static void readResponse(ChatResponse response, InferenceCall call) {
        call.responseId = response.id();
        call.responseModel = response.modelName();
        Object finishReason = response.finishReason();
        String reason = finishReason instanceof Enum<?> value ? finishReason(value.name()) : null;
        call.addFinishReason(reason);
        Usage.read(response.tokenUsage(), call);
        if (LlmLens.capturesContent()) {
            ChatContent.readResponse(response, reason, call);
        }
    }

    /** langchain4j's provider-neutral reasons, in the OpenAI spelling the semconv examples use. */
    static String finishReason(String langchain4jReason) {
        switch (langchain4jReason) {
            case "TOOL_EXECUTION":
                return "tool_calls";
            default:
                // STOP, LENGTH, CONTENT_FILTER, OTHER
                return langchain4jReason.toLowerCase(Locale.ROOT);
        }
    }
}
