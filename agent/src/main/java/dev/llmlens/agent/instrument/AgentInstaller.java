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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    /**
     * Registers the exact-name filter at once (so no SDK class can load unhooked), and returns the
     * Byte Buddy set-up as a task for a background thread: building it costs hundreds of
     * milliseconds of class loading that the app's main thread should not pay. A hooked class that
     * loads before the task is done waits for it.
     */
    public static Installation install(Instrumentation inst, AgentSettings settings, boolean retransformLoaded) {
        openJavaLangToAgent(inst);
        ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
        List<InstrumentationModule> modules = new ArrayList<>();
        Set<String> hookedInternalNames = new HashSet<>();
        for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class, agentLoader)) {
            if (!settings.instrumentationEnabled(module.name())) {
                AgentLog.debug(module.name() + " disabled by llmlens.instrumentation." + module.name() + ".enabled=false");
                continue;
            }
            modules.add(module);
            module.hooks().forEach(hook -> hookedInternalNames.add(hook.typeName().replace('.', '/')));
        }
        CompletableFuture<ClassFileTransformer> byteBuddy = new CompletableFuture<>();
        inst.addTransformer(new ExactNameFilter(byteBuddy, hookedInternalNames), true);
        Runnable build = () -> {
            try {
                List<ModuleActivator> activators = new ArrayList<>();
                byteBuddy.complete(buildTransformer(modules, agentLoader, activators));
                if (retransformLoaded) {
                    retransformAlreadyLoaded(inst, hookedInternalNames);
                }
                // warm the check for the common case (SDK on the class path) before the app needs it
                ClassLoader system = ClassLoader.getSystemClassLoader();
                activators.forEach(activator -> activator.usableIn(system));
            } catch (Throwable t) {
                byteBuddy.completeExceptionally(t);
                AgentLog.warn("llm-lens could not set up its hooks; calls run untraced: " + t);
            }
        };
        return new Installation(modules.stream().map(InstrumentationModule::name).toList(), build);
    }

    /** The modules that will be hooked, and the task that builds their transformer. */
    public record Installation(List<String> moduleNames, Runnable buildTransformer) {}

    private static ClassFileTransformer buildTransformer(List<InstrumentationModule> modules, ClassLoader agentLoader,
                                                         List<ModuleActivator> activators) {
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new TransformListener())
                .ignore(none());
        for (InstrumentationModule module : modules) {
            ModuleActivator activator = new ModuleActivator(module, agentLoader);
            activators.add(activator);
            for (Hook hook : module.hooks()) {
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
        }
        return builder.makeRaw();
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
    private record ExactNameFilter(CompletableFuture<ClassFileTransformer> byteBuddy, Set<String> internalNames)
            implements ClassFileTransformer {
        private static final long SETUP_TIMEOUT_SECONDS = 30;

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                ProtectionDomain domain, byte[] classfile) {
            if (className == null || !internalNames.contains(className)) {
                return null;
            }
            try {
                ClassFileTransformer delegate = byteBuddy.get(SETUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
