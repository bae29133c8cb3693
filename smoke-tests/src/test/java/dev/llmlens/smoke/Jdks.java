package dev.llmlens.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Finds the second JDK (25) the smoke tests also run on. */
final class Jdks {

    private Jdks() {}

    /** JAVA25_HOME, else a JDK 25 under /usr/lib/jvm. Missing: skipped locally with a message, a failure in CI. */
    static String java25() throws IOException {
        String configured = System.getenv("JAVA25_HOME");
        if (configured != null && Files.isExecutable(Path.of(configured, "bin", "java"))) {
            return configured;
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                var found = homes.filter(p -> p.getFileName().toString().matches(".*-25(\\D.*)?"))
                        .filter(p -> Files.isExecutable(p.resolve("bin/java"))).findFirst();
                if (found.isPresent()) {
                    return found.get().toString();
                }
            }
        }
        String message = "No JDK 25 found (set JAVA25_HOME): the JDK 25 smoke run is SKIPPED";
        if (System.getenv("CI") != null) {
            throw new AssertionError(message.replace("is SKIPPED", "cannot be skipped in CI"));
        }
        System.err.println("WARNING: " + message);
        Assumptions.abort(message);
        return null;
    }
}
