package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.instrumentation.langchain4j.helper.ChatHooks;
import net.bytebuddy.asm.Advice;

/** {@code ChatModelListenerUtils.onError}: the call failed, on whichever thread saw it. */
public final class ChatErrorAdvice {

    private ChatErrorAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Throwable error, @Advice.Argument(3) java.util.Map<Object, Object> attributes) {
        ChatHooks.failed(error, attributes);
    }
}
