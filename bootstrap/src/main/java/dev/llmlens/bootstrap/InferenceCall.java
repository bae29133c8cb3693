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

    // --- content: filled only while capture is on (LlmLens.capturesContent()); null = not captured
    /** The messages in the order they were sent; system messages stay here when the API sends them as messages. */
    public List<Message> inputMessages;
    /** System text the API takes apart from the messages (Anthropic {@code system}, Gemini systemInstruction). */
    public List<String> systemInstructions;
    public List<ToolDefinition> toolDefinitions;
    /** One message per choice; a stream's chunks are assembled into them as they arrive. */
    public final List<Message> outputMessages = new CopyOnWriteArrayList<>();

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

    /** More choices than any provider returns: an index beyond it is malformed input, not a choice. */
    static final int MAX_CHOICES = 128;

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

    /** The output message of choice {@code index}, created (with the assistant role) on first sight. */
    public synchronized Message output(int index) {
        if (index < 0 || index >= MAX_CHOICES) {
            return new Message("assistant"); // a provider's index we cannot trust: kept out of the call
        }
        while (outputMessages.size() <= index) {
            outputMessages.add(new Message("assistant"));
        }
        return outputMessages.get(index);
    }

    public void addFinishReason(String reason) {
        if (reason != null && !finishReasons.contains(reason)) {
            finishReasons.add(reason);
        }
    }
}
