package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.instrumentation.langchain4j.helper.ChatHooks;
import net.bytebuddy.asm.Advice;

/** The listener-notifying handler of a streaming call passes a piece of the answer on to the app's handler. */
public final class StreamChunkAdvice {

    private StreamChunkAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("val$attributes") java.util.Map<Object, Object> attributes) {
        ChatHooks.chunkSeen(attributes);
    }
}
