package dev.llmlens.instrumentation.api;

import java.util.List;

/**
 * One library's instrumentation, as the agent needs to know it. Implementations are found with
 * {@link java.util.ServiceLoader} and must only name SDK classes by string: the SDK is not visible
 * from the agent's class loader.
 */
public interface InstrumentationModule {

    /** The module's folder name under instrumentations/, also its config key. */
    String name();

    /**
     * Classes that must all exist in a class loader before anything is hooked in it; the first one's
     * jar manifest gives the library version reported in warnings.
     */
    List<String> requiredClassNames();

    /**
     * Classes compiled against the SDK (package {@code *.helper}), defined in each SDK class loader
     * before its first hooked class is transformed. Order: a class before any class extending it.
     */
    List<String> helperClassNames();

    List<Hook> hooks();
}
