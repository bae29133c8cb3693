package dev.llmlens.smoke.harness;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sample app in its own JVM. Waits (with a deadline, on the app's own output) until the app says
 * its scenarios are done, leaves it running for scrapes, and stops it by closing its stdin.
 */
public final class AppProcess implements AutoCloseable {

    public static final String DONE = "SCENARIOS_DONE";

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    /** The process closed its stderr: a line waited for there cannot come any more. */
    private volatile boolean stderrEnded;
    private final long startNanos = System.nanoTime();
    private final List<String> command;

    private AppProcess(List<String> command) throws IOException {
        this.command = command;
        process = new ProcessBuilder(command).start();
        pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), stdout, true);
        pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), stderr, false);
    }

    /** {@code java [jvmArgs] -cp classpath mainClass args} or, with a null classpath, {@code java [jvmArgs] -jar mainClass args}. */
    public static AppProcess start(String javaHome, List<String> jvmArgs, String classpath, String mainOrJar, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome, "bin", "java").toString());
        command.addAll(jvmArgs);
        if (classpath != null) {
            command.add("-cp");
            command.add(classpath);
        } else {
            command.add("-jar");
        }
        command.add(mainOrJar);
        command.addAll(List.of(args));
        return new AppProcess(command);
    }

    private void pump(BufferedReader reader, List<String> lines, boolean watchDone) {
        Thread thread = new Thread(() -> {
            try (reader) {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                    if (watchDone && line.equals(DONE)) {
                        done.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            synchronized (lines) {
                if (!watchDone) {
                    stderrEnded = true;
                }
                lines.notifyAll();
            }
            if (watchDone) {
                done.countDown();
            }
        }, "app-output");
        thread.setDaemon(true);
        thread.start();
    }

    /** Blocks until the app printed {@link #DONE}; fails with its output if it did not in time. */
    public AppProcess awaitScenariosDone(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || !stdout.contains(DONE)) {
            throw new AssertionError("app did not finish its scenarios within " + timeout + "\n" + describe());
        }
        return this;
    }

    /** Writes one line to the app's stdin (apps that wait for a go-ahead read it). */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Waits, woken by each new line, until a stderr line contains {@code text}; fails with the output if none did in time. */
    public void awaitStderr(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stderr) {
            while (stderr.stream().noneMatch(line -> line.contains(text))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || stderrEnded) {
                    throw new AssertionError("app never wrote '" + text + "' to stderr within " + timeout + "\n" + describe());
                }
                stderr.wait(left);
            }
        }
    }

    /** Closes stdin (the app's signal to exit) and waits for the exit code. */
    public int stop(Duration timeout) throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("app did not exit within " + timeout + " after stdin closed\n" + describe());
        }
        return process.exitValue();
    }

    public long elapsedMillisSinceStart() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    public String describe() {
        return "command: " + String.join(" ", command) + "\n--- stdout\n" + String.join("\n", stdout)
                + "\n--- stderr\n" + String.join("\n", stderr);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** The test JVM's own settings passed in by failsafe (see smoke-tests/pom.xml). */
    public static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run through Maven (mvn verify)");
        }
        return value;
    }

    /** The sample app's class path: its classes plus its runtime dependencies. */
    public static String appClasspath() throws IOException {
        return setting("app.classes") + File.pathSeparator
                + Files.readString(Path.of(setting("app.classpath.file"))).trim();
    }
}
