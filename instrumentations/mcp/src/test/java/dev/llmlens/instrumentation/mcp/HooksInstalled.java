package dev.llmlens.instrumentation.mcp;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.llmlens.instrumentation.api.Hook;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * The module's hooks applied in this JVM, to the real MCP SDK classes on the test class path, the
 * way the agent applies them (advice inlined into the exact classes named; helpers are already on the
 * class path here, so there is nothing to inject).
 */
final class HooksInstalled {

    private static boolean installed;

    private HooksInstalled() {}

    static synchronized void ensure() {
        if (installed) {
            return;
        }
        Instrumentation instrumentation = ByteBuddyAgent.install();
        ClassLoader loader = HooksInstalled.class.getClassLoader();
        TypePool advicePool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.Listener.StreamWriting.toSystemError().withErrorsOnly());
        // every hooked type loaded first, so all are retransformed in one pass: one loaded while another is
        // being transformed (AsyncToolSpecification's fromSync names SyncToolSpecification) would be skipped
        for (Hook hook : new McpModule().hooks()) {
            try {
                Class.forName(hook.typeName(), false, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        for (Hook hook : new McpModule().hooks()) {
            Advice advice = Advice.to(advicePool.describe(hook.adviceClassName()).resolve(),
                    ClassFileLocator.ForClassLoader.of(loader));
            builder = builder.type(named(hook.typeName()))
                    .transform((b, type, classLoader, module, domain) -> b.visit(advice.on(hook.methods())));
        }
        builder.installOn(instrumentation);
        installed = true;
    }
}
