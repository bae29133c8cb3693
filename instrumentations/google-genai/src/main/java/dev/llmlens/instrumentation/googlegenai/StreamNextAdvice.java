package dev.llmlens.instrumentation.googlegenai;

import dev.llmlens.instrumentation.googlegenai.helper.GoogleGenAiHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into ResponseStream's iterator#next: a chunk on its way to the app. */
public final class StreamNextAdvice {

    private StreamNextAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.FieldValue("this$0") Object stream,
                            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object chunk,
                            @Advice.Thrown Throwable error) {
        GoogleGenAiHooks.streamAdvanced(stream, chunk, error);
    }
}
