package dev.llmlens.bootstrap;

/**
 * An outer span around work that can loop over model calls and tools: an agent entry point or a
 * call that declares tools. The agent adds up the run's model calls, tokens, cost and tool calls.
 */
public final class AgentRun extends Operation {

    public String agentName;
    /** The entry method, e.g. the AI service method or the SDK method that runs the loop. */
    public String agentMethod;
    public String conversationId;
    public String requestModel;

    public AgentRun(String module, String agentName) {
        super(module);
        this.agentName = agentName;
    }
}
