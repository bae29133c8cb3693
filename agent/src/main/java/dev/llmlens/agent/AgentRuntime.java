package dev.llmlens.agent;

import dev.llmlens.agent.config.AgentSettings;
import dev.llmlens.agent.instrument.AgentInstaller;
import dev.llmlens.agent.telemetry.Telemetry;
import dev.llmlens.bootstrap.CallObserver;
import dev.llmlens.bootstrap.InferenceCall;
import dev.llmlens.bootstrap.LlmLens;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hooks are registered on the main thread (they must be in place before the app loads the SDK);
 * everything heavy (OpenTelemetry SDK, exporter, price table, /metrics server) is built on a daemon
 * thread so the app's startup is not held up by it.
 */
final class AgentRuntime {

    private AgentRuntime() {}

    static void start(Instrumentation inst, AgentSettings settings, boolean lateAttach, long startNanos) {
        CompletableFuture<Telemetry> ready = new CompletableFuture<>();
        LlmLens.install(new UntilReady(ready));
        AgentInstaller.Installation hooks = AgentInstaller.install(inst, settings, lateAttach);
        List<String> modules = hooks.moduleNames();
        Thread init = new Thread(() -> {
            hooks.buildTransformer().run();
            try {
                Telemetry telemetry = Telemetry.start(settings);
                LlmLens.install(telemetry.recorder());
                ready.complete(telemetry);
                Runtime.getRuntime().addShutdownHook(new Thread(telemetry::shutdown, "llmlens-shutdown"));
                AgentLog.info("llm-lens " + version() + " started in "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms: instrumentations "
                        + modules + "; traces -> " + telemetry.tracesEndpoint() + "; metrics -> "
                        + telemetry.metricsUrl() + "; prices dated " + telemetry.priceTableDate());
            } catch (Throwable t) {
                ready.complete(null);
                LlmLens.install(CallObserver.NOOP);
                AgentLog.warn("llm-lens telemetry could not start; calls run untraced: " + t);
                AgentLog.debug("telemetry start failure", t);
            }
        }, "llmlens-init");
        init.setDaemon(true);
        init.start();
    }

    static String version() {
        return AgentVersion.VALUE;
    }

    /**
     * Stands in for the recorder while it is being built, without ever making the app wait: a call
     * that starts that early gets its span when it ends (back-dated to its real start), and one that
     * also ends that early is recorded as soon as the recorder exists.
     */
    private record UntilReady(CompletableFuture<Telemetry> ready) implements CallObserver {
        @Override
        public void onStart(InferenceCall call) {
            Telemetry telemetry = ready.getNow(null);
            if (telemetry != null) {
                telemetry.recorder().onStart(call);
            }
        }

        @Override
        public void onEnd(InferenceCall call) {
            ready.thenAccept(telemetry -> {
                if (telemetry != null) {
                    telemetry.recorder().onEnd(call);
                }
            });
        }

        @Override
        public void onInstrumentationError(String module, Throwable error) {
            ready.thenAccept(telemetry -> {
                if (telemetry != null) {
                    telemetry.recorder().onInstrumentationError(module, error);
                }
            });
        }
    }
}
