package dev.llmlens.instrumentation.anthropic.helper;

import dev.llmlens.bootstrap.AgentRun;
import dev.llmlens.bootstrap.LlmLens;
import java.util.Iterator;

/**
 * The tool runner's iteration as one agent run. It starts when the app asks for the iterator and
 * ends when the runner has nothing more to give (the model stopped asking for tools, or the
 * iteration limit), when a step fails (the step's exception is the run's error), or when the app
 * drops the iterator before that (garbage collected: ended with what it did). Breaking out of the
 * loop therefore ends the run late, at collection, not at the break: the runner has no close.
 */
final class ObservedRun {

    private ObservedRun() {}

    /** @return the runner's iterator, stepping inside {@code run} */
    static <T> Iterator<T> start(AgentRun run, Iterator<T> steps) {
        LlmLens.start(run);
        // the run goes on after this method returns; its steps name it as their parent
        LlmLens.leave(run);
        return new RunIterator<>(steps, run);
    }

    static final class RunIterator<T> implements Iterator<T> {
        private final Iterator<T> steps;
        private final AgentRun run;

        RunIterator(Iterator<T> steps, AgentRun run) {
            this.steps = steps;
            this.run = run;
            LlmLens.endWhenUnreachable(this, run);
        }

        @Override
        public boolean hasNext() {
            boolean more = step(steps::hasNext);
            if (!more) {
                LlmLens.end(run);
            }
            return more;
        }

        @Override
        public T next() {
            return step(steps::next);
        }

        /** One step of the runner, with the run as what its model and tool calls nest under. */
        private <R> R step(java.util.function.Supplier<R> runnerStep) {
            AgentRun outer = ToolRunnerScope.enter(run);
            try {
                return runnerStep.get();
            } catch (RuntimeException | Error e) {
                LlmLens.end(run, e);
                throw e;
            } finally {
                ToolRunnerScope.restore(outer);
            }
        }
    }

    /** {@code streaming()}: one run per iteration of the returned Iterable, like the runner's own loop. */
    static final class RunStreams<T> implements Iterable<T> {
        private final Iterable<T> rounds;
        private final String model;

        RunStreams(Iterable<T> rounds, String model) {
            this.rounds = rounds;
            this.model = model;
        }

        @Override
        public Iterator<T> iterator() {
            Iterator<T> steps = rounds.iterator();
            return start(ToolRunnerHooks.newRun("streaming", model), steps);
        }
    }
}
