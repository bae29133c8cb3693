package dev.llmlens.instrumentation.testing;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * A module's hooks applied in the test JVM, to the real library classes on the test class path, the
 * way the agent applies them: advice inlined into the exact classes named. Helpers are on the test
 * class path already, so there is nothing to inject.
 */
public final class InstalledHooks {

    private static final Set<String> INSTALLED = new HashSet<>();

    private InstalledHooks() {}

    public static synchronized void ensure(InstrumentationModule module) {
        if (!INSTALLED.add(module.name())) {
            return;
        }
        Instrumentation instrumentation = ByteBuddyAgent.install();
        ClassLoader loader = module.getClass().getClassLoader();
        TypePool advicePool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.Listener.StreamWriting.toSystemError().withErrorsOnly());
        // every hooked type loaded first, so all are retransformed in one pass: a type loaded while
        // another is being transformed (one naming the other) would be skipped
        for (Hook hook : module.hooks()) {
            try {
                Class.forName(hook.typeName(), false, loader);
            } catch (ClassNotFoundException e) {
                // a hook for a class this library version does not have: nothing to hook
            }
        }
        for (Hook hook : module.hooks()) {
            Advice advice = Advice.to(advicePool.describe(hook.adviceClassName()).resolve(),
                    ClassFileLocator.ForClassLoader.of(loader));
            builder = builder.type(named(hook.typeName()))
                    .transform((b, type, classLoader, javaModule, domain) -> b.visit(advice.on(hook.methods())));
        }
        builder.installOn(instrumentation);
    }
}
