package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.instrumentation.langchain4j.helper.ChatHooks;
import net.bytebuddy.asm.Advice;

/** The default {@code chat(ChatRequest, ...)} methods: the model call runs inside this frame. */
public final class ChatEntryAdvice {

    private ChatEntryAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object model, @Advice.Origin("#t") String declaringType) {
        return ChatHooks.entering(model, declaringType);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object frame, @Advice.Thrown Throwable error) {
        ChatHooks.exiting(frame, error);
    }
}
