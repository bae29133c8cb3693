package dev.llmlens.agent;

import dev.llmlens.agent.access.PrivilegedAccess;
import dev.llmlens.agent.config.AgentSettings;
import dev.llmlens.agent.instrument.AgentInstaller;
import dev.llmlens.agent.telemetry.Telemetry;
import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.LlmLens;
import dev.llmlens.bootstrap.Operation;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hooks are registered on the main thread (they must be in place before the app loads the SDK);
 * everything heavy (OpenTelemetry SDK, exporter, price table, /metrics server) is built on a daemon
 * thread so the app's startup is not held up by it.
 */
final class AgentRuntime {

    private AgentRuntime() {}

    /** A JVM that exits while the telemetry is still being built waits this long for it, then flushes. */
    private static final long EXIT_WAIT_FOR_READY_MILLIS = 500;

    static void start(Instrumentation inst, AgentSettings settings, boolean lateAttach, long startNanos,
                      PrivilegedAccess access) {
        UntilReady untilReady = new UntilReady(new CompletableFuture<>(), new ConcurrentLinkedQueue<>());
        LlmLens.install(untilReady);
        LlmLens.allowRefusals(settings.refuses());
        // before any hook exists, so no getter ever sees a half-configured switch
        LlmLens.captureContent(settings.captureContent());
        AgentInstaller.Installation hooks = AgentInstaller.install(inst, settings, lateAttach, access);
        List<String> modules = hooks.moduleNames();
        // registered now, not when the telemetry is ready: a short-lived app must not lose its calls
        Runtime.getRuntime().addShutdownHook(new Thread(() -> untilReady.atExit(EXIT_WAIT_FOR_READY_MILLIS), "llmlens-shutdown"));
        Thread init = new Thread(() -> {
            hooks.buildTransformer().run();
            try {
                Telemetry telemetry = Telemetry.start(settings);
                LlmLens.install(telemetry.recorder());
                untilReady.ready(telemetry);
                AgentLog.info("llm-lens " + version() + " started in "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms: instrumentations "
                        + modules + "; traces -> " + telemetry.tracesEndpoint() + "; metrics -> "
                        + telemetry.metricsUrl() + "; prices dated " + telemetry.priceTableDate() + "; "
                        + contentCapture(settings));
            } catch (Throwable t) {
                untilReady.ready(null);
                LlmLens.install(CallObserver.NOOP);
                AgentLog.warn("llm-lens telemetry could not start; calls run untraced: " + t);
                AgentLog.debug("telemetry start failure", t);
            }
        }, "llmlens-init");
        init.setDaemon(true);
        init.start();
    }

    private static String contentCapture(AgentSettings settings) {
        return settings.captureContent()
                ? "content capture ON (prompts and answers on spans, redacted, max " + settings.captureMaxLength()
                        + " chars per attribute)"
                : "content capture off";
    }

    static String version() {
        return AgentVersion.VALUE;
    }

    /**
     * Stands in for the recorder while it is being built, without ever making the app wait: a call
     * that starts that early gets its span when it ends (back-dated to its real start), and one that
     * also ends that early is queued and recorded as soon as the recorder exists.
     */
    private record UntilReady(CompletableFuture<Telemetry> telemetry, Queue<Operation> endedEarly)
            implements CallObserver {

        void ready(Telemetry built) {
            drain(built);
            telemetry.complete(built);
            drain(built); // calls queued while the first drain ran
        }

        void atExit(long waitMillis) {
            try {
                Telemetry built = telemetry.get(waitMillis, TimeUnit.MILLISECONDS);
                if (built != null) {
                    drain(built);
                    built.shutdown();
                }
            } catch (Exception e) {
                AgentLog.debug("exit before the telemetry was ready: " + endedEarly.size() + " call(s) not recorded");
            }
        }

        private void drain(Telemetry built) {
            for (Operation ended; (ended = endedEarly.poll()) != null; ) {
                if (built != null) {
                    built.recorder().onEnd(ended);
                }
            }
        }

        @Override
        public void onStart(Operation operation) {
            Telemetry built = telemetry.getNow(null);
            if (built != null) {
                built.recorder().onStart(operation);
            }
        }

        @Override
        public void onLeave(Operation operation) {
            Telemetry built = telemetry.getNow(null);
            if (built != null) {
                built.recorder().onLeave(operation);
            }
        }

        @Override
        public void onEnd(Operation operation) {
            if (endedEarly.size() < 10_000) {
                endedEarly.add(operation);
            }
            if (telemetry.isDone()) {
                drain(telemetry.getNow(null));
            }
        }

        @Override
        public void onInstrumentationError(String module, Throwable error) {
            telemetry.thenAccept(built -> {
                if (built != null) {
                    built.recorder().onInstrumentationError(module, error);
                }
            });
        }
    }
}
