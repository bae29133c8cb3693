package dev.llmlens.instrumentation.anthropic.helper;

import com.anthropic.backends.Backend;
import com.anthropic.core.ClientOptions;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/** Host and port of a client's base URL: {@code server.address} and {@code server.port} of its calls. */
final class Endpoint {

    /** An app usually has one client: keep the last parse rather than parsing the URL per call. */
    private static volatile Endpoint last = new Endpoint("", null, -1);

    final String baseUrl;
    final String host;
    final int port;

    private Endpoint(String baseUrl, String host, int port) {
        this.baseUrl = baseUrl;
        this.host = host;
        this.port = port;
    }

    /**
     * 2.x clients built with {@code AnthropicOkHttpClient} keep the base URL in their backend, at the
     * bottom of the HTTP client chain; {@code ClientOptions.baseUrl()} is null there. Found once per
     * client, by following the chain's {@code httpClient} fields to the one that holds the backend.
     */
    private static final Map<ClientOptions, String> BACKEND_URLS = Collections.synchronizedMap(new WeakHashMap<>());

    static Endpoint of(ClientOptions options) {
        String baseUrl = options.baseUrl();
        if (baseUrl == null) {
            baseUrl = BACKEND_URLS.computeIfAbsent(options, Endpoint::backendUrl);
        }
        return of(baseUrl);
    }

    private static String backendUrl(ClientOptions options) {
        Object client = options.httpClient();
        for (int depth = 0; client != null && depth < 12; depth++) {
            Object next = null;
            for (Class<?> type = client.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Backend.class.isAssignableFrom(field.getType())) {
                        Backend backend = (Backend) read(field, client);
                        return backend == null ? null : backend.baseUrl();
                    }
                    if (next == null && com.anthropic.core.http.HttpClient.class.isAssignableFrom(field.getType())) {
                        next = read(field, client);
                    }
                }
            }
            client = next;
        }
        return null;
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static Endpoint of(String baseUrl) {
        Endpoint known = last;
        if (baseUrl == null || known.baseUrl.equals(baseUrl)) {
            return known;
        }
        Endpoint parsed;
        try {
            URI uri = URI.create(baseUrl);
            int port = uri.getPort();
            if (port < 0) {
                port = "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
            }
            parsed = new Endpoint(baseUrl, uri.getHost(), port);
        } catch (IllegalArgumentException e) {
            parsed = new Endpoint(baseUrl, null, -1);
        }
        last = parsed;
        return parsed;
    }
}
