package dev.llmlens.instrumentation.api;

import java.util.List;
import java.util.function.Function;

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

    /** Hooks found by annotation rather than by class name (an app's own tool methods). */
    default List<AnnotatedMethodsHook> annotatedMethodsHooks() {
        return List.of();
    }

    /**
     * Called once, before {@link #hooks()}, for a module whose hooks come from the user's settings.
     *
     * @param setting reads an {@code llmlens.*} key (system property, then environment), null when unset
     * @return problems with the settings, each logged as one WARN; the module uses what was valid
     */
    default List<String> configure(Function<String, String> setting) {
        return List.of();
    }
}
