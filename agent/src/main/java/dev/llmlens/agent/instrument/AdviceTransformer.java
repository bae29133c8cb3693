package dev.llmlens.agent.instrument;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.instrumentation.api.Hook;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines each hook's advice into the exact class it names, once that class's loader passed the
 * module's reference check and holds its helpers. Byte Buddy's redefinition API is used directly:
 * the AgentBuilder would add a runtime-generated transformer class and matching machinery that we
 * do not need behind an exact-name filter, and cost the app about a second of startup CPU.
 */
final class AdviceTransformer implements ClassFileTransformer {

    record BoundHook(Hook hook, ModuleActivator activator) {}

    private final Map<String, List<BoundHook>> hooksByType;
    private final ClassFileLocator agentClasses;
    private final boolean refusalGate;
    private final ByteBuddy byteBuddy = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            // no new members or type initializer: the class must stay retransformable
            .with(Implementation.Context.Disabled.Factory.INSTANCE);

    /** @param refusalGate wrap every hooked method in {@link RefusalGate} (a budget or fault injection may refuse) */
    AdviceTransformer(Map<String, List<BoundHook>> hooksByType, ClassLoader agentLoader, boolean refusalGate) {
        this.hooksByType = hooksByType;
        this.agentClasses = ClassFileLocator.ForClassLoader.of(agentLoader);
        this.refusalGate = refusalGate;
    }

    /**
     * Adds one hook's advice to {@code methods}, wrapped in the {@link RefusalGate} when asked: Open
     * outermost, Take innermost, so the hook's advice starts its operation in between.
     */
    static DynamicType.Builder<?> withAdvice(DynamicType.Builder<?> builder, Advice advice,
                                             ElementMatcher<? super MethodDescription> methods, boolean refusalGate,
                                             ClassFileLocator agentClasses) {
        if (!refusalGate) {
            return builder.visit(advice.on(methods));
        }
        // a constructor's body cannot be skipped
        ElementMatcher.Junction<MethodDescription> skippable = ElementMatchers.not(ElementMatchers.isConstructor());
        return builder.visit(Advice.to(RefusalGate.Open.class, agentClasses).on(skippable.and(methods)))
                .visit(advice.on(methods))
                .visit(Advice.to(RefusalGate.Take.class, agentClasses).on(skippable.and(methods)));
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
                            byte[] classfile) {
        String name = internalName.replace('/', '.');
        return transform(loader, name, domain, classfile, hooksByType.get(name));
    }

    /** Applies {@code hooks} (those naming this class, or found for it by annotation) to one class. */
    byte[] transform(ClassLoader loader, String name, ProtectionDomain domain, byte[] classfile, List<BoundHook> hooks) {
        if (hooks == null || loader == null) {
            return null;
        }
        try {
            ClassFileLocator locator = new ClassFileLocator.Compound(
                    ClassFileLocator.Simple.of(name, classfile), ClassFileLocator.ForClassLoader.of(loader), agentClasses);
            TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
            DynamicType.Builder<?> builder = null;
            for (BoundHook bound : hooks) {
                if (!bound.activator().usableIn(loader)) {
                    continue;
                }
                bound.activator().injectHelpers(loader, domain);
                if (builder == null) {
                    builder = byteBuddy.redefine(pool.describe(name).resolve(), locator);
                }
                TypeDescription advice = pool.describe(bound.hook().adviceClassName()).resolve();
                builder = withAdvice(builder, Advice.to(advice, locator), bound.hook().methods(), refusalGate, agentClasses);
            }
            if (builder == null) {
                return null;
            }
            byte[] transformed = builder.make().getBytes();
            AgentLog.debug("hooked " + name + " in " + loader);
            return transformed;
        } catch (Throwable t) {
            // the class loads unchanged: advice without its helpers (or half applied) must never run
            AgentLog.warnOnce("hook:" + name + "@" + System.identityHashCode(loader),
                    "Could not hook " + name + " in " + loader + "; its calls run untraced: " + t);
            AgentLog.debug("hook failure", t);
            return null;
        }
    }
}
