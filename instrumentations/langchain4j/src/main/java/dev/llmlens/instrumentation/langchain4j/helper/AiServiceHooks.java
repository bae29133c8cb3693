package dev.llmlens.instrumentation.langchain4j.helper;

import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.LlmLens;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * One AI service method call is one agent run named after the service interface; its model round
 * trips and tool executions nest under it. Methods that return a stream to start later get no run:
 * their work happens after the method returned.
 */
public final class AiServiceHooks {

    private static final String MEMORY_ID = "dev.langchain4j.service.MemoryId";
    private static final Set<String> LAZY_RESULTS = Set.of("dev.langchain4j.service.TokenStream",
            "reactor.core.publisher.Flux");

    private AiServiceHooks() {}

    public static AgentRun entering(Method method, Object[] args) {
        try {
            if (method == null || method.getDeclaringClass() == Object.class || method.isDefault()
                    || LAZY_RESULTS.contains(method.getReturnType().getName())) {
                return null;
            }
            Class<?> service = method.getDeclaringClass();
            AgentRun run = new AgentRun(ChatHooks.MODULE, service.getSimpleName());
            run.agentMethod = service.getName() + "." + method.getName();
            run.conversationId = memoryId(method, args);
            LlmLens.start(run);
            return run;
        } catch (Throwable t) {
            LlmLens.instrumentationError(ChatHooks.MODULE, t);
            return null;
        }
    }

    public static void exiting(AgentRun run, Throwable error) {
        if (run != null) {
            LlmLens.end(run, error);
        }
    }

    /** The argument annotated {@code @MemoryId}: the conversation the call belongs to. */
    static String memoryId(Method method, Object[] args) {
        if (args == null) {
            return null;
        }
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < annotations.length && i < args.length; i++) {
            for (Annotation annotation : annotations[i]) {
                if (MEMORY_ID.equals(annotation.annotationType().getName()) && args[i] != null) {
                    return String.valueOf(args[i]);
                }
            }
        }
        return null;
    }
}
