package dev.llmlens.bootstrap;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One model call as its caller sees it, in library-neutral terms. An instrumentation's getter fills
 * it from the SDK's own objects; the agent turns it into a span, metrics and cost. Fields are public
 * because this is a plain record written by one getter and read by one emitter; {@code null} (or a
 * negative count) means "the SDK did not tell us", never zero.
 */
public final class InferenceCall extends Operation {

    // --- known when the call starts (also what a sampler may look at)
    public String provider;
    public String operation;
    public String requestModel;
    public String serverAddress;
    public int serverPort = -1;
    public boolean stream;
    /**
     * The SDK traces this call itself (the app turned its own OpenTelemetry support on): the agent
     * records metrics and cost but no second span.
     */
    public boolean tracedBySdk;
    /**
     * A framework's view of a model call (LangChain4j, Spring AI). Frameworks often sit on an SDK we
     * also hook; such a call becomes a span only if no SDK-level call was recorded inside it, so one
     * model call is one span and its tokens count once.
     */
    public boolean frameworkLevel;

    // --- request parameters
    public Long maxTokens;
    public Double temperature;
    public Double topP;
    public Double topK;
    public Double frequencyPenalty;
    public Double presencePenalty;
    public Long choiceCount;
    public Long seed;
    public List<String> stopSequences;
    public String reasoningLevel;
    public String outputType;
    public List<String> encodingFormats;
    public String previousResponseId;
    /** Provider API flavour, e.g. {@code chat_completions} or {@code responses} for OpenAI. */
    public String apiType;
    public String requestServiceTier;
    /** A guardrail the provider applies to this request (Bedrock). */
    public String guardrailId;
    public String guardrailVersion;

    // --- response
    public String responseId;
    public String responseModel;
    /** Written by the SDK's stream thread, read by whichever thread ends the call. */
    public final List<String> finishReasons = new CopyOnWriteArrayList<>();
    public String responseServiceTier;
    public String systemFingerprint;
    public Long embeddingsDimension;

    // --- usage, as the provider bills it (see README "Token semantics")
    public long inputTokens = -1;
    public long outputTokens = -1;
    public long cacheReadTokens = -1;
    public long cacheWriteTokens = -1;
    public long reasoningTokens = -1;

    // --- timing and outcome
    public long firstChunkNanos;
    /** HTTP status of a failed call when the SDK exposes it. */
    public int httpStatus;
    /** A stream the app closed (or abandoned) before it ended: not an error, just incomplete. */
    public boolean incomplete;

    public InferenceCall(String module, String provider, String operation) {
        super(module);
        this.provider = provider;
        this.operation = operation;
    }

    /** Records the first chunk handed to the app; later chunks do not move it. */
    public void chunkSeen() {
        if (firstChunkNanos == 0) {
            firstChunkNanos = System.nanoTime();
        }
    }

    public void addFinishReason(String reason) {
        if (reason != null && !finishReasons.contains(reason)) {
            finishReasons.add(reason);
        }
    }
}
