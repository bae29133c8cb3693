package dev.llmlens.instrumentation.googlegenai;

import dev.llmlens.instrumentation.googlegenai.helper.GoogleGenAiHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into ResponseStream's iterator#hasNext: false means the stream was drained. */
public final class StreamHasNextAdvice {

    private StreamHasNextAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.FieldValue("this$0") Object stream,
                            @Advice.Return boolean hasNext,
                            @Advice.Thrown Throwable error) {
        GoogleGenAiHooks.streamChecked(stream, hasNext, error);
    }
}
