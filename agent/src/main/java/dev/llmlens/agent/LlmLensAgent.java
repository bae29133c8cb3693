package dev.llmlens.agent;

import dev.llmlens.agent.config.AgentSettings;
import dev.llmlens.agent.config.Config;
import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * The jar's entry point. Puts the bootstrap classes (neutral call model and facade) on the bootstrap
 * class path before anything touches them, so exactly one copy exists for every class loader, then
 * hands over to {@link AgentRuntime}. Never throws into the JVM: a failure here leaves the app
 * running exactly as without the agent.
 */
public final class LlmLensAgent {

    private static final String BOOTSTRAP_JAR = "dev/llmlens/agent/llm-lens-bootstrap.jar";

    private LlmLensAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(inst, true);
    }

    public static void main(String[] args) {
        System.out.println("llm-lens " + AgentVersion.VALUE + ": attach with -javaagent:<this jar>; see README.");
    }

    private static void start(Instrumentation inst, boolean lateAttach) {
        try {
            long startNanos = System.nanoTime();
            AgentSettings settings = AgentSettings.from(Config.fromSystem());
            if (!settings.enabled()) {
                AgentLog.info("llm-lens is disabled (llmlens.enabled=false): nothing is hooked.");
                return;
            }
            AgentLog.setDebug(settings.debug());
            inst.appendToBootstrapClassLoaderSearch(new JarFile(extractBootstrapJar()));
            AgentRuntime.start(inst, settings, lateAttach, startNanos);
        } catch (Throwable t) {
            AgentLog.warn("llm-lens did not start and stays out of the way; the app runs untraced: " + t);
            AgentLog.debug("start failure", t);
        }
    }

    private static File extractBootstrapJar() throws Exception {
        Path jar = Files.createTempFile("llm-lens-bootstrap", ".jar");
        jar.toFile().deleteOnExit();
        try (InputStream in = LlmLensAgent.class.getClassLoader().getResourceAsStream(BOOTSTRAP_JAR)) {
            if (in == null) {
                throw new IllegalStateException(BOOTSTRAP_JAR + " is missing from the agent jar");
            }
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        return jar.toFile();
    }
}
