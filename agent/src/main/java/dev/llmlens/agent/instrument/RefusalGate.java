package dev.llmlens.agent.instrument;

import dev.llmlens.bootstrap.LlmLens;
import net.bytebuddy.asm.Advice;

/**
 * Wraps a hook's own advice so the operation it starts can be refused before the hooked method's body
 * runs (a spent cost budget, an injected tool failure): {@link Open} outermost, {@link Take} innermost.
 * The module's advice sits between them unchanged and sees the refusal as the method's exception.
 * Applied only when a feature that refuses is configured.
 */
final class RefusalGate {

    private RefusalGate() {}

    static final class Open {
        private Open() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            LlmLens.openRefusalWindow();
        }
    }

    static final class Take {
        private Take() {}

        @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Advice.OnNonDefaultValue.class)
        static RuntimeException enter() {
            return LlmLens.takeRefusal();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter RuntimeException refusal, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (refusal != null) {
                thrown = refusal;
            }
        }
    }
}
