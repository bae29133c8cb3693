package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.instrumentation.langchain4j.helper.ChatHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code ChatModelListenerUtils.onRequest}: the request with the model's defaults merged in. The call
 * starts on entry, before the listeners hear of it, so a refusal (a spent budget) stops it there.
 */
public final class ChatRequestAdvice {

    private ChatRequestAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object provider,
                            @Advice.Argument(2) java.util.Map<Object, Object> attributes) {
        ChatHooks.requestStarting(request, provider, attributes);
    }
}
