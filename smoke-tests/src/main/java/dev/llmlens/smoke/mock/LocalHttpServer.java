package dev.llmlens.smoke.mock;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK {@link HttpServer} on 127.0.0.1 whose threads are all daemons, so a test fixture that is
 * never closed cannot keep a JVM alive. Shared by {@link MockOpenAiServer} and the OTLP receiver.
 */
public final class LocalHttpServer {
    private LocalHttpServer() {}

    /** Binds 127.0.0.1:{@code port} (0 = ephemeral) and serves every path with {@code handler}. */
    public static HttpServer start(int port, int threads, String name, HttpHandler handler)
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
        // The JDK's dispatcher thread inherits the daemon flag of the thread that calls start(),
        // and
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

    /**
     * Stops at once: in-flight exchanges (e.g. a slow stream) are cut, their threads interrupted.
     */
    public static void stop(HttpServer server) {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
