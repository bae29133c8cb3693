package dev.llmlens.smoke.mock;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mock provider API: counts and keeps the requests it serves, so a test can check that the SDK made
 * exactly the round trips it expected (no retries, no extra calls from the agent).
 *
 * @param <S> the concrete server, so {@link #start()} can be chained
 */
public abstract class MockApiServer<S extends MockApiServer<S>> extends LocalHttpServer<S> {

    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    /** @param port the port to bind on 127.0.0.1; 0 picks a free one */
    protected MockApiServer(int port, String name) {
        super(port, 8, name);
    }

    /** Total HTTP requests received (any path, including errors). */
    public int requestCount() {
        return requests.get();
    }

    /** Request paths in arrival order, as the mock recorded them (see {@link #received}). */
    public List<String> requestPaths() {
        return List.copyOf(paths);
    }

    /** Forgets received requests: the next one is number 1 again, and so are the ids derived from it. */
    public void reset() {
        requests.set(0);
        paths.clear();
    }

    /** Counts a request and keeps its path; returns its number (from 1), from which a mock derives ids. */
    protected int received(String path) {
        paths.add(path);
        return requests.incrementAndGet();
    }

    /** {@code http://127.0.0.1:PORT}, to which each mock adds what its SDK expects. */
    protected String origin() {
        return "http://127.0.0.1:" + port();
    }
}
