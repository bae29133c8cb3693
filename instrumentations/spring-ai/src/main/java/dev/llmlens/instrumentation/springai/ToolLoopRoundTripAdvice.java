package dev.llmlens.instrumentation.springai;

import dev.llmlens.instrumentation.springai.helper.RoundTrip;
import dev.llmlens.instrumentation.springai.helper.SpringAiHooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the public {@code internalCall(Prompt, ChatResponse)} of Spring AI 1.1 chat models: one
 * round trip, and, when the model runs the tool loop itself, the entry of that loop.
 */
public final class ToolLoopRoundTripAdvice {

    private ToolLoopRoundTripAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static RoundTrip enter(@Advice.This Object model, @Advice.Argument(0) Object prompt,
                                  @Advice.Argument(1) Object previous) {
        return SpringAiHooks.enterRoundTrip(model, prompt, previous, true);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter RoundTrip roundTrip, @Advice.Return Object response,
                            @Advice.Thrown Throwable error) {
        SpringAiHooks.exitRoundTrip(roundTrip, response, error);
    }
}
