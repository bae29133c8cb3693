package dev.llmlens.smoke.harness;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs a test needs (prometheus, promtool). On a developer machine without them the test
 * is skipped with a message saying how to install them; on CI (environment variable CI set) a missing
 * tool fails the test, so a broken CI image cannot turn the check into a silent skip.
 */
public final class Tools {

    public static final String INSTALL_HINT = "install it with `apt-get install prometheus` (Debian/Ubuntu) or put"
            + " the Prometheus release's binaries on the PATH";

    private Tools() {}

    /** The executable {@code name} found on the PATH; skips the test (fails it on CI) when there is none. */
    public static Path require(String name) {
        Path found = onPath(name);
        if (found != null) {
            return found;
        }
        String message = name + " is not on the PATH: " + INSTALL_HINT;
        if (onCi()) {
            fail(message + ". CI is set, so a missing tool fails instead of skipping.");
        }
        // surefire/failsafe show the reason only in the report files; say it on the console too
        System.err.println("SKIPPED: " + message);
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    static boolean onCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
