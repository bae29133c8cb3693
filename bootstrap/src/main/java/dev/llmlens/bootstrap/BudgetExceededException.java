package dev.llmlens.bootstrap;

/**
 * Thrown instead of a model call when a cost budget is spent and {@code llmlens.budget.action=block}:
 * the request was never sent. Lives on the boot class path so an app can catch it by type.
 */
public final class BudgetExceededException extends RuntimeException {

    public BudgetExceededException(String message) {
        super(message);
    }
}
