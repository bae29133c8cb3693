package dev.llmlens.agent;

import dev.llmlens.agent.access.PrivilegedAccess;
import dev.llmlens.agent.config.AgentSettings;
import dev.llmlens.agent.config.Config;
import java.lang.instrument.Instrumentation;

/**
 * The jar's entry point. Defines the bootstrap classes (neutral call model and facade) in the boot
 * loader before anything touches them, so exactly one copy exists for every class loader, then
 * hands over to {@link AgentRuntime}. Never throws into the JVM: a failure here leaves the app
 * running exactly as without the agent.
 */
public final class LlmLensAgent {

    private LlmLensAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(inst, true);
    }

    public static void main(String[] args) {
        if (args.length >= 2 && args[0].equals("audit") && args[1].equals("verify")) {
            System.exit(AuditCommand.verify(args));
        }
        System.out.println("llm-lens " + AgentVersion.VALUE + ": attach with -javaagent:<this jar>; see README.\n"
                + "  java -jar <this jar> audit verify FILE [--key KEY]   check an llmlens.audit.file");
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
            PrivilegedAccess access = PrivilegedAccess.grant(inst);
            BootstrapClasses.define(access);
            AgentRuntime.start(inst, settings, lateAttach, startNanos, access);
            AgentLog.debug("premain took " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
        } catch (Throwable t) {
            AgentLog.warn("llm-lens did not start and stays out of the way; the app runs untraced: " + t);
            AgentLog.debug("start failure", t);
        }
    }
}
