package dev.llmlens.instrumentation.springai;

import dev.llmlens.instrumentation.springai.helper.SpringAiHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into a chat model's {@code stream(Prompt)}: the Flux it returns is observed per subscription. */
public final class StreamAdvice {

    private StreamAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object model, @Advice.Argument(0) Object prompt,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object flux) {
        flux = SpringAiHooks.observeStream(model, prompt, flux);
    }
}
