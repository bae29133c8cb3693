package dev.llmlens.instrumentation.googlegenai;

import com.google.genai.types.GenerateContentConfig;
import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.instrumentation.googlegenai.helper.GoogleGenAiHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into the public generateContent that runs the automatic function calling loop. */
public final class GenerateContentAdvice {

    private GenerateContentAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static AgentRun enter(@Advice.Argument(0) String model,
                                 @Advice.Argument(2) GenerateContentConfig config,
                                 @Advice.Origin("#t.#m") String method) {
        return GoogleGenAiHooks.enterGenerate(model, config, method);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter AgentRun run,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                            @Advice.Thrown Throwable error) {
        result = GoogleGenAiHooks.exitGenerate(run, result, error);
    }
}
