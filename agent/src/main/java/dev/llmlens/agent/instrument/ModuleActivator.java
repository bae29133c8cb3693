package dev.llmlens.agent.instrument;

import dev.llmlens.agent.AgentLog;
import dev.llmlens.agent.access.PrivilegedAccess;
import dev.llmlens.instrumentation.api.InstrumentationModule;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One instrumentation module's state per class loader: whether it can run there (its library is
 * present and has every method its helpers call) and whether its helpers are defined there yet.
 * Helpers (stored as {@code .classdata}) are defined inside the SDK's own class loader, the only
 * place they can link against the SDK, be it the system loader, a Spring Boot LaunchedClassLoader
 * or a servlet container's.
 */
final class ModuleActivator {

    private final InstrumentationModule module;
    private final ClassLoader agentLoader;
    private final PrivilegedAccess access;
    private final Map<ClassLoader, Boolean> usable = new WeakHashMap<>();
    private final Map<ClassLoader, Boolean> injected = new WeakHashMap<>();
    private List<byte[]> helperBytecode;
    private ReferenceCheck referenceCheck;

    ModuleActivator(InstrumentationModule module, ClassLoader agentLoader, PrivilegedAccess access) {
        this.module = module;
        this.agentLoader = agentLoader;
        this.access = access;
    }

    String name() {
        return module.name();
    }

    synchronized boolean usableIn(ClassLoader loader) {
        return usable.computeIfAbsent(loader, this::check);
    }

    private boolean check(ClassLoader loader) {
        long startNanos = System.nanoTime();
        for (String required : module.requiredClassNames()) {
            if (loader.getResource(required.replace('.', '/') + ".class") == null) {
                return false;
            }
        }
        String version = module.requiredClassNames().isEmpty() ? "(the app's own code)"
                : ReferenceCheck.libraryVersion(loader, module.requiredClassNames().get(0));
        try {
            List<ReferenceCheck.Reference> missing = referenceCheck().missingIn(loader);
            if (!missing.isEmpty()) {
                AgentLog.warn(module.name() + " is off for " + loader + ": the library version found (" + version
                        + ") lacks " + missing.size() + " method(s) llm-lens needs, e.g. " + missing.get(0)
                        + ". Calls through it run untraced.");
                return false;
            }
        } catch (Exception | LinkageError e) {
            AgentLog.warn(module.name() + " is off for " + loader + " (library version " + version
                    + "): cannot check it: " + e);
            return false;
        }
        AgentLog.debug(module.name() + " " + version + " matched in " + loader + " (reference check "
                + (System.nanoTime() - startNanos) / 1_000_000 + " ms)");
        return true;
    }

    synchronized void injectHelpers(ClassLoader loader, ProtectionDomain domain) throws Exception {
        if (injected.containsKey(loader)) {
            return;
        }
        List<String> names = module.helperClassNames();
        List<byte[]> classes = helperBytecode();
        for (int i = 0; i < classes.size(); i++) {
            byte[] bytes = classes.get(i);
            access.defineClass(loader, names.get(i), bytes, domain);
        }
        injected.put(loader, Boolean.TRUE);
    }

    private ReferenceCheck referenceCheck() throws Exception {
        if (referenceCheck == null) {
            referenceCheck = ReferenceCheck.ofHelpers(helperBytecode());
        }
        return referenceCheck;
    }

    private List<byte[]> helperBytecode() throws Exception {
        if (helperBytecode == null) {
            List<byte[]> classes = new ArrayList<>();
            for (String name : module.helperClassNames()) {
                classes.add(ReferenceCheck.read(agentLoader, name.replace('.', '/') + ".classdata"));
            }
            helperBytecode = classes;
        }
        return helperBytecode;
    }
}
