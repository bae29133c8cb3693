package dev.llmlens.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Operation;
import dev.llmlens.bootstrap.ToolCall;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The refusal gate as the agent weaves it, on a real class: a hook's advice starts an operation, the
 * observer refuses it, and the method's body does not run; the hook's exit advice sees the refusal.
 */
public class RefusalGateTest {

    /** Stands for a hooked library method: counts the times its body ran. */
    public static final class Tool implements Callable<String> {
        @Override
        public String call() {
            BODY_RUNS.incrementAndGet();
            return "ran";
        }
    }

    public static final AtomicInteger BODY_RUNS = new AtomicInteger();

    /** Stands for a module's advice: starts a tool call, ends it with whatever the method threw. */
    public static final class StartingAdvice {
        public static final List<Throwable> SEEN = new ArrayList<>();

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ToolCall enter() {
            return LlmLens.startTool("test", "tool");
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter ToolCall tool, @Advice.Thrown Throwable thrown) {
            SEEN.add(thrown);
            LlmLens.end(tool, thrown);
        }
    }

    private static final RuntimeException REFUSAL = new IllegalStateException("refused");

    @AfterEach
    void reset() {
        LlmLens.install(CallObserver.NOOP);
        LlmLens.allowRefusals(false);
        BODY_RUNS.set(0);
        StartingAdvice.SEEN.clear();
    }

    @Test
    void aRefusedOperationSkipsTheBodyAndTheHookSeesTheRefusal() throws Exception {
        LlmLens.allowRefusals(true);
        List<Operation> refusable = observeRefusing(true);
        Callable<String> tool = woven(true);

        IllegalStateException thrown = assertThrows(IllegalStateException.class, tool::call);
        assertSame(REFUSAL, thrown);
        assertEquals(0, BODY_RUNS.get());
        assertEquals(List.of(REFUSAL), StartingAdvice.SEEN);
        assertTrue(refusable.get(0).refusable);
        // nothing lingers: the next call on this thread, not refused, runs
        observeRefusing(false);
        assertEquals("ran", tool.call());
        assertEquals(1, BODY_RUNS.get());
    }

    @Test
    void withoutTheGateOrWithRefusalsOffTheBodyAlwaysRuns() throws Exception {
        List<Operation> refusable = observeRefusing(true);
        assertEquals("ran", woven(true).call(), "refusals not allowed");
        assertFalse(refusable.get(0).refusable);
        LlmLens.allowRefusals(true);
        assertEquals("ran", woven(false).call(), "gate not woven");
        assertFalse(refusable.get(1).refusable, "started outside a gate: never refused");
        assertEquals(2, BODY_RUNS.get());
    }

    @SuppressWarnings("unchecked")
    private static Callable<String> woven(boolean gate) throws Exception {
        ClassFileLocator classes = ClassFileLocator.ForClassLoader.of(RefusalGateTest.class.getClassLoader());
        var builder = new ByteBuddy().redefine(Tool.class);
        Class<?> type = AdviceTransformer.withAdvice(builder, Advice.to(StartingAdvice.class), named("call"), gate, classes)
                .make().load(RefusalGateTest.class.getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST).getLoaded();
        try {
            return (Callable<String>) type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new AssertionError(e);
        }
    }

    /** @return the operations started, as the observer saw them */
    private static List<Operation> observeRefusing(boolean refuse) {
        List<Operation> started = new ArrayList<>();
        LlmLens.install(new CallObserver() {
            @Override public void onStart(Operation operation) {
                started.add(operation);
                if (refuse && operation.refusable) {
                    operation.refusal = REFUSAL;
                }
            }
            @Override public void onLeave(Operation operation) {}
            @Override public void onEnd(Operation operation) {}
            @Override public void onInstrumentationError(String module, Throwable error) {}
        });
        return started;
    }
}
