package dev.llmlens.instrumentation.springai.helper;

import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.InferenceCall;
import org.springframework.ai.chat.metadata.Usage;

/**
 * One chat round trip in progress, and the run it opened when it is the first round of a tool loop
 * the model runs itself (1.1).
 */
public final class RoundTrip {

    final InferenceCall call;
    final AgentRun run;
    /** The usage the previous round reported, already counted by that round. */
    final Usage previousUsage;

    RoundTrip(InferenceCall call, AgentRun run, Usage previousUsage) {
        this.call = call;
        this.run = run;
        this.previousUsage = previousUsage;
    }
}
