package dev.llmlens.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnotationScanTest {

    @Retention(RetentionPolicy.RUNTIME)
    @interface Marker {}

    static class Annotated {
        @Marker
        void tool() {}
    }

    static class Plain {
        void notATool() {}
    }

    private static final String MARKER = Marker.class.getName();

    private static byte[] bytesOf(Class<?> type) throws IOException {
        String name = type.getName();
        try (InputStream in = type.getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void onlyClassesThatNameTheAnnotationAreReported() throws IOException {
        AnnotationScan scan = AnnotationScan.of(List.of(MARKER, "org.example.Absent"));
        ClassLoader loader = getClass().getClassLoader();
        assertEquals(List.of(MARKER), scan.annotationsNamedIn(loader, bytesOf(Annotated.class)));
        assertEquals(List.of(), scan.annotationsNamedIn(loader, bytesOf(Plain.class)));
    }

    @Test
    void aLoaderThatCannotSeeTheAnnotationIsNotSearched() throws IOException {
        AnnotationScan scan = AnnotationScan.of(List.of(MARKER));
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertEquals(List.of(), scan.annotationsNamedIn(empty, bytesOf(Annotated.class)));
        }
        assertEquals(List.of(), scan.annotationsNamedIn(null, bytesOf(Annotated.class)), "the boot loader has no tools");
        assertEquals(List.of(), AnnotationScan.of(List.of()).annotationsNamedIn(getClass().getClassLoader(),
                bytesOf(Annotated.class)));
    }

    @Test
    void byteSearchFindsWholeNeedlesOnly() {
        byte[] haystack = "xxLcom/acme/Tool;yy".getBytes();
        assertTrue(AnnotationScan.contains(haystack, "Lcom/acme/Tool;".getBytes()));
        assertFalse(AnnotationScan.contains(haystack, "Lcom/acme/Tools;".getBytes()));
        assertFalse(AnnotationScan.contains("Lcom/acme/Too".getBytes(), "Lcom/acme/Tool;".getBytes()));
    }
}
