package dev.llmlens.instrumentation.springai;

import dev.llmlens.instrumentation.springai.helper.SpringAiHooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into DefaultChatClient$DefaultCallResponseSpec#doGetObservableChatClientResponse(ChatClientRequest),
 * which content(), chatResponse() and entity() all pass through.
 */
public final class ChatClientAdvice {

    private ChatClientAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Object request) {
        return SpringAiHooks.enterChatClient(request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object chatClientCall, @Advice.Thrown Throwable error) {
        SpringAiHooks.exitChatClient(chatClientCall, error);
    }
}
