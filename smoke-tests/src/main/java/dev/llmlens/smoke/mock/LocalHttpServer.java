package dev.llmlens.smoke.mock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test server on a JDK {@link HttpServer} bound to 127.0.0.1 whose threads are all daemons, so a
 * fixture that is never closed cannot keep a JVM alive. Base of the mock APIs ({@link MockApiServer}) and the
 * OTLP receiver, which only add their {@link #handle}.
 *
 * @param <S> the concrete server, so {@link #start()} can be chained
 */
public abstract class LocalHttpServer<S extends LocalHttpServer<S>> implements AutoCloseable {

    private final int requestedPort;
    private final int threads;
    private final String name;
    private HttpServer server;

    /** @param port the port to bind on 127.0.0.1; 0 picks a free one */
    protected LocalHttpServer(int port, int threads, String name) {
        this.requestedPort = port;
        this.threads = threads;
        this.name = name;
    }

    /** Serves every request, whatever its path. */
    protected abstract void handle(HttpExchange exchange) throws IOException;

    @SuppressWarnings("unchecked")
    public synchronized S start() {
        if (server == null) {
            try {
                server = start(requestedPort, threads, name, this::handle);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return (S) this;
    }

    public synchronized int port() {
        if (server == null) throw new IllegalStateException("not started");
        return server.getAddress().getPort();
    }

    /** Stops at once: in-flight exchanges (e.g. a slow stream) are cut, their threads interrupted. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    private static HttpServer start(int port, int threads, String name, HttpHandler handler)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        AtomicInteger count = new AtomicInteger();
        server.setExecutor(
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        }));
        server.createContext("/", handler);
        // The JDK's dispatcher thread inherits the daemon flag of the thread that calls start(), and
        // there is no other way to set it: so start() runs on a short-lived daemon thread.
        FutureTask<Void> starting = new FutureTask<>(server::start, null);
        Thread starter = new Thread(starting, name + "-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + name, e);
        } catch (ExecutionException e) {
            throw new IOException("could not start " + name, e.getCause());
        }
        return server;
    }

}
