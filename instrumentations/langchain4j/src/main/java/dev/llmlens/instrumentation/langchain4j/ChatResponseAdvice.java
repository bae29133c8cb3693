package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.instrumentation.langchain4j.helper.ChatHooks;
import net.bytebuddy.asm.Advice;

/** {@code ChatModelListenerUtils.onResponse}: the call ended, on whichever thread delivered the response. */
public final class ChatResponseAdvice {

    private ChatResponseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object response, @Advice.Argument(3) java.util.Map<Object, Object> attributes) {
        ChatHooks.responded(response, attributes);
    }
}
