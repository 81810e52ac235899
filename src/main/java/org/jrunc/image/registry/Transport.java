package org.jrunc.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One HTTP client for all of a {@link RegistryClient}'s registries: redirects are never followed by the JDK (the
 * caller decides where the Authorization header goes), HTTP/1.1 (no h2c upgrade offered to plain-HTTP registries;
 * parallel blobs get their own connections), and, without TLS verification, a trust manager that accepts any
 * certificate for any host, as podman's --tls-verify=false does.
 */
final class Transport {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a server may take to answer with headers; a body streams for as long as it takes. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);
    /** Enough of an error body for its message; a registry's error JSON is a few hundred bytes. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private static final int MAX_ERROR_TEXT = 200;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client;
    private final String userAgent;

    Transport(boolean tlsVerify, String userAgent) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1);
        if (!tlsVerify) {
            builder.sslContext(trustingEveryone());
        }
        this.client = builder.build();
        this.userAgent = userAgent;
    }

    /**
     * Stops the client's selector thread. A JVM waits up to 300 ms at exit for threads blocked in native code, and
     * that thread sits in epoll_wait: a cached re-pull would spend more time exiting than working. HttpClient is
     * AutoCloseable from JDK 21, the launcher's usual JDK; on 17 the thread is left to the exit.
     */
    void close() {
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing is an optimisation of the exit: a failure to close leaves the slower exit
            }
        }
    }

    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).header("User-Agent", userAgent);
    }

    /**
     * Sends and returns the response with its body unread. A TLS failure is an {@link SSLException} (not worth
     * retrying, but worth a plain-HTTP try when allowed); other I/O failures are transient.
     */
    HttpResponse<InputStream> send(HttpRequest request) throws TransientFailure, SSLException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (SSLException e) {
            throw e;
        } catch (IOException e) {
            throw new TransientFailure(request.method() + " " + request.uri() + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(request.method() + " " + request.uri() + ": interrupted");
        }
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return "connection refused" + (message == null || message.isBlank() ? "" : " (" + message + ")");
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Two URIs share an origin when scheme, host and port agree (the default port counted for a missing one). */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return uri.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
    }

    /**
     * "HTTP 404 (MANIFEST_UNKNOWN: manifest unknown)": the status and the first error of the distribution spec's
     * error body, if it has one. Reads at most a little of the body and closes it.
     */
    static String summary(HttpResponse<InputStream> response) {
        String status = "HTTP " + response.statusCode();
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
            return errorText(bytes).map(text -> status + " (" + text + ")").orElse(status);
        } catch (IOException e) {
            return status;
        }
    }

    private static Optional<String> errorText(byte[] bytes) {
        try {
            JsonNode root = MAPPER.readTree(bytes);
            JsonNode first = root == null ? null : root.path("errors").path(0);
            if (first == null || !first.isObject()) {
                return Optional.empty();
            }
            String code = first.path("code").asText("");
            String message = first.path("message").asText("");
            String text = code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
            return text.isEmpty() ? Optional.empty() : Optional.of(shortened(text));
        } catch (IOException e) {
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return text.isEmpty() || text.startsWith("<") ? Optional.empty() : Optional.of(shortened(text));
        }
    }

    private static String shortened(String text) {
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "...";
    }

    /** Closes a response whose body nobody will read, so its connection can go back to the pool or be dropped. */
    static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // the connection is dropped instead of reused
        }
    }

    /** 429 and 5xx: the server is busy or failing, and says so; Retry-After in seconds if it gives one. */
    static boolean isTransient(int status) {
        return status == 429 || status >= 500;
    }

    static TransientFailure transientFailure(HttpResponse<InputStream> response) {
        Optional<Duration> retryAfter = response.headers()
                .firstValue("Retry-After")
                .flatMap(Transport::seconds)
                .map(Duration::ofSeconds);
        return new TransientFailure(summary(response), retryAfter);
    }

    private static Optional<Long> seconds(String value) {
        try {
            long s = Long.parseLong(value.strip());
            return s >= 0 ? Optional.of(s) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP-date: the policy's own backoff applies
        }
    }

    private static SSLContext trustingEveryone() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingEveryone()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has TLS", e);
        }
    }

    /**
     * An X509ExtendedTrustManager, not a plain X509TrustManager: the JDK checks the host name inside the extended
     * manager, so this one skips that check too, as --tls-verify=false means.
     */
    private static final class TrustingEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
