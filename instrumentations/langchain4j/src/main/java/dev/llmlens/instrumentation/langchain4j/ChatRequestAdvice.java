package dev.llmlens.instrumentation.langchain4j;

import dev.llmlens.instrumentation.langchain4j.helper.ChatHooks;
import net.bytebuddy.asm.Advice;

/** {@code ChatModelListenerUtils.onRequest}: the request with the model's defaults merged in. */
public final class ChatRequestAdvice {

    private ChatRequestAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) Object request, @Advice.Argument(1) Object provider,
                            @Advice.Argument(2) java.util.Map<Object, Object> attributes) {
        ChatHooks.requestStarting(request, provider, attributes);
    }
}
