package dev.llmlens.smoke.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * What every sample app does around its SDK-specific scenarios. Each scenario prints one line,
 * {@code name: result} or {@code name: failed with ...}, so a run with the agent can be diffed
 * against a run without it; after the scenarios the app stays alive until stdin closes, so a test
 * can scrape /metrics while it runs.
 */
public abstract class ScenarioApp implements AutoCloseable {

    private final PrintStream out;

    protected ScenarioApp(PrintStream out) {
        this.out = out;
    }

    /** Runs one scenario and returns its deterministic result. */
    protected abstract String call(String name) throws Exception;

    /** The failed line after {@code failed with }: the exception's class and the SDK's status, if any. */
    protected abstract String failure(Exception e);

    /** Closes the SDK clients: their non-daemon threads would otherwise keep the JVM alive. */
    @Override
    public abstract void close();

    public final void run(String name) {
        try {
            out.println(name + ": " + call(name));
        } catch (Exception e) {
            out.println(name + ": failed with " + failure(e));
        }
    }

    /**
     * {@code main(baseUrl [scenario,scenario...])}: runs the named scenarios, or all of them, on the app
     * {@code open} makes for the base URL.
     */
    static void main(String[] args, Collection<String> all, Function<String, ScenarioApp> open) throws Exception {
        List<String> names = args.length > 1 ? List.of(args[1].split(",")) : List.copyOf(all);
        try (ScenarioApp app = open.apply(args[0])) {
            long start = System.nanoTime();
            for (String name : names) {
                app.run(name);
            }
            // on stderr: stdout must stay byte-identical with and without the agent
            System.err.println("SCENARIOS_ELAPSED_MS=" + (System.nanoTime() - start) / 1_000_000);
            System.out.println("SCENARIOS_DONE");
            System.out.flush();
            // stay alive (e.g. for a /metrics scrape) until whoever started us closes stdin
            new BufferedReader(new InputStreamReader(System.in)).readLine();
        }
    }
}
