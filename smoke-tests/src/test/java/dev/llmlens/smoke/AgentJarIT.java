package dev.llmlens.smoke;

import static dev.llmlens.smoke.harness.AppProcess.setting;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** Reads the packaged agent jar: what an app gets on its class path when it adds -javaagent. */
class AgentJarIT {

    /** Everything the jar may hold; anything else would land on the app's class path. */
    private static final Pattern ALLOWED = Pattern.compile(String.join("|",
            "META-INF/", "META-INF/MANIFEST\\.MF", "META-INF/services/", "META-INF/services/dev\\.llmlens\\..+",
            "META-INF/licenses/.*", "META-INF/(LICENSE|NOTICE)(\\.txt)?", "META-INF/[A-Za-z-]+-(LICENSE|NOTICE)",
            "dev/", "dev/llmlens/.*"));

    private final Path jar = Path.of(setting("agent.jar"));

    @Test
    void manifestMakesItAnAgent() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            assertEquals("dev.llmlens.agent.LlmLensAgent", main.getValue("Premain-Class"));
            assertEquals("dev.llmlens.agent.LlmLensAgent", main.getValue("Agent-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertTrue(jar.getFileName().toString().contains(main.getValue("Implementation-Version")));
        }
    }

    @Test
    void everyEntryIsOnTheAllowList() throws IOException {
        List<String> unexpected = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (!ALLOWED.matcher(name).matches() || (name.endsWith(".class") && !name.startsWith("dev/llmlens/"))) {
                    unexpected.add(name);
                }
                if (name.startsWith("META-INF/services/")) {
                    String content = new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                    content.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                            .filter(l -> !l.startsWith("dev.llmlens.")).forEach(l -> unexpected.add(name + " -> " + l));
                }
            }
        }
        assertEquals(List.of(), unexpected, "entries outside dev/llmlens would clash with the app's own classes");
    }

    @Test
    void helpersAreNotLoadableClassesAndSeeOnlySdkJdkAndBootstrap() throws IOException {
        int helpers = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (name.contains("/helper/")) {
                    assertFalse(name.endsWith(".class"), name + " must be .classdata, defined only in the SDK's loader");
                }
                if (name.endsWith(".classdata")) {
                    helpers++;
                    String constants = new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertFalse(constants.contains("dev/llmlens/shaded/"), name + " links against the agent's shaded libraries");
                    assertFalse(constants.contains("dev/llmlens/agent/"), name + " links against agent classes");
                }
            }
        }
        assertTrue(helpers >= 7, "openai-java helpers are packaged: " + helpers);
    }

    @Test
    void bootstrapJarHoldsOnlyTheBootstrapPackage() throws IOException {
        List<String> classes = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile());
             InputStream nested = file.getInputStream(file.getEntry("dev/llmlens/agent/llm-lens-bootstrap.jar"));
             JarInputStream bootstrap = new JarInputStream(nested)) {
            for (JarEntry entry; (entry = bootstrap.getNextJarEntry()) != null; ) {
                if (entry.getName().endsWith(".class")) {
                    classes.add(entry.getName());
                }
            }
        }
        assertTrue(classes.contains("dev/llmlens/bootstrap/LlmLens.class"), classes.toString());
        assertTrue(classes.stream().allMatch(c -> c.startsWith("dev/llmlens/bootstrap/")), classes.toString());
    }

    @Test
    void releaseZipHoldsThisJarAndTheOperatorKit() throws IOException {
        Path zip = Path.of(setting("agent.dist.zip"));
        Set<String> files = new TreeSet<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                if (!entry.isDirectory()) {
                    files.add(entry.getName());
                }
            }
            assertArrayEquals(Files.readAllBytes(jar), file.getInputStream(file.getEntry(jar.getFileName().toString())).readAllBytes(),
                    "the zip holds the shaded agent jar, not the unshaded original");
        }
        assertEquals(new TreeSet<>(Set.of(jar.getFileName().toString(), "LICENSE", "RUNBOOK.md",
                "grafana/llm-lens-dashboard.json", "prometheus/llm-lens-rules.yml", "prometheus/llm-lens-rules.test.yml",
                "prometheus/llm-lens-rules.weekly.test.yml")), files);
    }

    @Test
    void jarFitsTheSizeBudget() throws IOException {
        long size = Files.size(jar);
        assertTrue(size <= 10L * 1024 * 1024, "agent jar is " + size + " bytes; the budget is 10 MB");
    }
}
