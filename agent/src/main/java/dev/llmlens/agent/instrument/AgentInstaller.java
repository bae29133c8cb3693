package dev.llmlens.agent.instrument;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.access.PrivilegedAccess;
import dev.llmlens.agent.config.AgentSettings;
import dev.llmlens.instrumentation.api.AnnotatedMethodsHook;
import dev.llmlens.instrumentation.api.Hook;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Registers the hooks of every enabled instrumentation module. Each class the JVM loads costs one
 * hash lookup of its name; only the exact classes a hook names reach Byte Buddy.
 */
public final class AgentInstaller {

    private AgentInstaller() {}

    /**
     * Registers the exact-name filter at once (so no SDK class can load unhooked), and returns the
     * rest as a task for a background thread, which also runs the reference check for the system
     * class loader ahead of time, so the app's threads do not pay for that class loading. A hooked
     * class that loads before the task is done waits for it (at most 10 s, then it loads unhooked).
     */
    public static Installation install(Instrumentation inst, AgentSettings settings, boolean retransformLoaded,
                                       PrivilegedAccess access) {
        ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
        List<InstrumentationModule> modules = new ArrayList<>();
        Set<String> hookedInternalNames = new HashSet<>();
        List<String> hookedAnnotations = new ArrayList<>();
        for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class, agentLoader)) {
            if (!settings.instrumentationEnabled(module.name())) {
                AgentLog.debug(module.name() + " disabled by llmlens.instrumentation." + module.name() + ".enabled=false");
                continue;
            }
            for (String problem : module.configure(key -> settings.config().getString(key, null))) {
                AgentLog.warn(module.name() + ": " + problem);
            }
            modules.add(module);
            module.hooks().forEach(hook -> hookedInternalNames.add(hook.typeName().replace('.', '/')));
            module.annotatedMethodsHooks().forEach(hook -> hookedAnnotations.add(hook.annotationTypeName()));
        }
        CompletableFuture<Transformers> byteBuddy = new CompletableFuture<>();
        inst.addTransformer(new HookFilter(byteBuddy, hookedInternalNames, AnnotationScan.of(hookedAnnotations)), true);
        Runnable build = () -> {
            try {
                List<ModuleActivator> activators = new ArrayList<>();
                long startNanos = System.nanoTime();
                byteBuddy.complete(buildTransformer(modules, agentLoader, access, activators, settings.refuses()));
                AgentLog.debug("hooks built in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
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

    /** The Byte Buddy side, built off the main thread: hooks by class name, and hook makers by annotation. */
    record Transformers(AdviceTransformer advice,
                        Map<String, List<Function<String, AdviceTransformer.BoundHook>>> byAnnotation) {

        /** The hooks for one class whose bytecode names {@code annotations}. */
        List<AdviceTransformer.BoundHook> forAnnotations(String className, List<String> annotations) {
            List<AdviceTransformer.BoundHook> hooks = new ArrayList<>();
            for (String annotation : annotations) {
                byAnnotation.getOrDefault(annotation, List.of()).forEach(maker -> hooks.add(maker.apply(className)));
            }
            return hooks;
        }
    }

    private static Transformers buildTransformer(List<InstrumentationModule> modules, ClassLoader agentLoader,
                                                 PrivilegedAccess access, List<ModuleActivator> activators,
                                                 boolean refusalGate) {
        Map<String, List<AdviceTransformer.BoundHook>> hooksByType = new HashMap<>();
        Map<String, List<Function<String, AdviceTransformer.BoundHook>>> byAnnotation = new HashMap<>();
        for (InstrumentationModule module : modules) {
            ModuleActivator activator = new ModuleActivator(module, agentLoader, access);
            activators.add(activator);
            for (Hook hook : module.hooks()) {
                hooksByType.computeIfAbsent(hook.typeName(), name -> new ArrayList<>())
                        .add(new AdviceTransformer.BoundHook(hook, activator));
            }
            for (AnnotatedMethodsHook hook : module.annotatedMethodsHooks()) {
                var methods = ElementMatchers.isAnnotatedWith(ElementMatchers.named(hook.annotationTypeName()))
                        .and(ElementMatchers.not(ElementMatchers.isAbstract()));
                byAnnotation.computeIfAbsent(hook.annotationTypeName(), name -> new ArrayList<>()).add(className ->
                        new AdviceTransformer.BoundHook(new Hook(className, methods, hook.adviceClassName()), activator));
            }
        }
        return new Transformers(new AdviceTransformer(hooksByType, agentLoader, refusalGate), byAnnotation);
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

    /**
     * Hands Byte Buddy only the classes a hook names, and the classes whose bytecode names a hooked
     * annotation in a loader that can see it; everything else is untouched at the cost of a set lookup
     * (and, in a loader with such an annotation, a byte search).
     */
    private record HookFilter(CompletableFuture<Transformers> byteBuddy, Set<String> internalNames, AnnotationScan scan)
            implements ClassFileTransformer {
        private static final long SETUP_TIMEOUT_SECONDS = 10;

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                ProtectionDomain domain, byte[] classfile) {
            if (className == null) {
                return null;
            }
            try {
                if (internalNames.contains(className)) {
                    return transformers().advice().transform(module, loader, className, redefined, domain, classfile);
                }
                List<String> annotations = scan.annotationsNamedIn(loader, classfile);
                if (annotations.isEmpty()) {
                    return null;
                }
                String name = className.replace('/', '.');
                return transformers().advice().transform(loader, name, domain, classfile,
                        transformers().forAnnotations(name, annotations));
            } catch (Throwable t) {
                AgentLog.warnOnce("transform:" + className, "Could not hook " + className + ": " + t);
                return null;
            }
        }

        private Transformers transformers() throws Exception {
            return byteBuddy.get(SETUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

}
