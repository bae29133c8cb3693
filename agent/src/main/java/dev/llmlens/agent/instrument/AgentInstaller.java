package dev.llmlens.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.none;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.config.AgentSettings;
import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Registers the hooks of every enabled instrumentation module. Each class the JVM loads costs one
 * hash lookup of its name; only the exact classes a hook names reach Byte Buddy.
 */
public final class AgentInstaller {

    private AgentInstaller() {}

    /** @return the names of the modules that were installed. */
    public static List<String> install(Instrumentation inst, AgentSettings settings, boolean retransformLoaded) {
        openJavaLangToAgent(inst);
        ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new TransformListener())
                .ignore(none());
        Set<String> hookedInternalNames = new HashSet<>();
        List<String> installed = new ArrayList<>();
        for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class, agentLoader)) {
            if (!settings.instrumentationEnabled(module.name())) {
                AgentLog.debug(module.name() + " disabled by llmlens.instrumentation." + module.name() + ".enabled=false");
                continue;
            }
            ModuleActivator activator = new ModuleActivator(module, agentLoader);
            for (Hook hook : module.hooks()) {
                hookedInternalNames.add(hook.typeName().replace('.', '/'));
                builder = builder
                        .type((type, loader, javaModule, redefined, domain) ->
                                type.getName().equals(hook.typeName()) && loader != null && activator.usableIn(loader))
                        .transform((b, type, loader, javaModule, domain) -> {
                            try {
                                activator.injectHelpers(loader, domain);
                            } catch (Exception e) {
                                // aborts this transformation: advice without its helpers must never run
                                throw new IllegalStateException(module.name() + " helpers cannot be defined in " + loader, e);
                            }
                            return b;
                        })
                        .transform(new AgentBuilder.Transformer.ForAdvice()
                                .include(agentLoader)
                                .advice(hook.methods(), hook.adviceClassName()));
            }
            installed.add(module.name());
        }
        ClassFileTransformer transformer = builder.makeRaw();
        inst.addTransformer(new ExactNameFilter(transformer, hookedInternalNames), true);
        if (retransformLoaded) {
            retransformAlreadyLoaded(inst, hookedInternalNames);
        }
        return installed;
    }

    /** Lets the agent call ClassLoader#defineClass to put helpers next to the SDK. */
    private static void openJavaLangToAgent(Instrumentation inst) {
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(AgentInstaller.class.getModule())),
                Set.of(), Map.of());
    }

    /** For a late attach (agentmain): classes loaded before we came are hooked too. */
    private static void retransformAlreadyLoaded(Instrumentation inst, Set<String> internalNames) {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> loaded : inst.getAllLoadedClasses()) {
            if (internalNames.contains(loaded.getName().replace('.', '/')) && inst.isModifiableClass(loaded)) {
                targets.add(loaded);
            }
        }
        if (!targets.isEmpty()) {
            try {
                inst.retransformClasses(targets.toArray(new Class<?>[0]));
            } catch (Exception | LinkageError e) {
                AgentLog.warn("Could not hook " + targets.size() + " already loaded class(es): " + e);
            }
        }
    }

    /** Hands Byte Buddy only the classes a hook names; everything else is untouched at the cost of a set lookup. */
    private record ExactNameFilter(ClassFileTransformer delegate, Set<String> internalNames) implements ClassFileTransformer {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                ProtectionDomain domain, byte[] classfile) {
            if (className == null || !internalNames.contains(className)) {
                return null;
            }
            try {
                return delegate.transform(module, loader, className, redefined, domain, classfile);
            } catch (Throwable t) {
                AgentLog.warnOnce("transform:" + className, "Could not hook " + className + ": " + t);
                return null;
            }
        }
    }

    private static final class TransformListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            AgentLog.debug("hooked " + type.getName() + " in " + loader);
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            AgentLog.warnOnce("hook:" + typeName + "@" + System.identityHashCode(loader),
                    "Could not hook " + typeName + " in " + loader + "; its calls run untraced: " + error);
            AgentLog.debug("hook failure", error);
        }
    }
}
