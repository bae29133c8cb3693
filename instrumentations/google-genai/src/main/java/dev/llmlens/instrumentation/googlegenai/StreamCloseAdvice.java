package dev.llmlens.instrumentation.googlegenai;

import dev.llmlens.instrumentation.googlegenai.helper.GoogleGenAiHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into ResponseStream#close: the app is done with the stream, read to the end or not. */
public final class StreamCloseAdvice {

    private StreamCloseAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object stream) {
        GoogleGenAiHooks.streamClosed(stream);
    }
}
