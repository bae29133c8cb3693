package dev.llmlens.smoke.harness;

import static dev.llmlens.smoke.harness.AppProcess.appClasspath;
import static dev.llmlens.smoke.harness.AppProcess.setting;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The sample app's class path with an SDK swapped for its oldest supported version, whose jars
 * smoke-tests/pom.xml copies into {@code <sdk>.oldest.dir}: the app is compiled against the newest.
 */
public final class SdkClasspath {

    private SdkClasspath() {}

    /**
     * Each jar whose file name {@code isSdkJar} accepts is replaced by the same artifact at
     * {@code <sdk>.oldest.version}, from {@code <sdk>.oldest.dir}.
     */
    public static String oldest(String sdk, Predicate<String> isSdkJar) throws IOException {
        String newest = setting(sdk + ".version");
        String oldest = setting(sdk + ".oldest.version");
        Path oldestDir = Path.of(setting(sdk + ".oldest.dir"));
        return Arrays.stream(appClasspath().split(File.pathSeparator))
                .map(entry -> {
                    String name = Path.of(entry).getFileName().toString();
                    return isSdkJar.test(name) ? oldestDir.resolve(name.replace(newest, oldest)).toString() : entry;
                })
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * Every entry {@code isSdkEntry} accepts is dropped and every jar of {@code <sdk>.oldest.dir} added
     * instead: for an SDK made of many artifacts released together at one version (the AWS SDK).
     */
    public static String oldestWhole(String sdk, Predicate<String> isSdkEntry) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : appClasspath().split(File.pathSeparator)) {
            if (!isSdkEntry.test(entry)) {
                entries.add(entry);
            }
        }
        try (Stream<Path> jars = Files.list(Path.of(setting(sdk + ".oldest.dir")))) {
            jars.map(Path::toString).sorted().forEach(entries::add);
        }
        return String.join(File.pathSeparator, entries);
    }
}
