package dev.llmlens.instrumentation.testing;

import dev.llmlens.bootstrap.LlmLens;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Content capture on for each test ({@code @RegisterExtension}), and off again after it: the switch is
 * JVM-wide, and a test that left it on would make the next one capture.
 */
public final class ContentCapture implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        LlmLens.captureContent(true);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LlmLens.captureContent(false);
    }
}
