package dev.llmlens.bootstrap;

/**
 * Thrown instead of running a tool when fault injection ({@code llmlens.chaos.*}) picked this call to
 * fail: the tool's code did not run. Lives on the boot class path so an app can catch it by type.
 */
public final class InjectedToolFailure extends RuntimeException {

    public InjectedToolFailure(String message) {
        super(message);
    }
}
