package org.jrunc.image.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciMediaTypes;

/**
 * A registry on 127.0.0.1 that speaks as much of the distribution API as a pull uses, with the authentication and
 * misbehaviour a test asks for: Bearer tokens scoped to one repository (from its own /token endpoint), Basic
 * credentials, canned failures, tampered or oversized blobs, redirects, lying digests. Every request is recorded.
 */
final class FakeRegistry implements AutoCloseable {
    enum Auth {
        NONE,
        BEARER,
        BASIC
    }

    record Request(
            String method,
            String path,
            String query,
            Optional<String> authorization,
            Optional<String> range,
            Optional<String> accept,
            Optional<String> userAgent) {}

    /** A canned answer for the next request whose path contains {@code pathPart}. */
    record Failure(String pathPart, int status, Map<String, String> headers) {}

    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger tokenFetches = new AtomicInteger();
    final AtomicInteger rejectedTokens = new AtomicInteger();
    final AtomicInteger tokenGeneration = new AtomicInteger();
    private final Map<String, Manifest> manifests = new HashMap<>();
    private final Map<String, byte[]> blobs = new HashMap<>();
    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();

    volatile Auth auth = Auth.NONE;
    volatile String user = "alice";
    volatile String password = "secret";
    volatile String refreshToken = "refresh-me";
    volatile long tokenLifetimeSeconds = 300;
    /** Slows the token endpoint, so concurrent first requests meet while a token is being fetched. */
    volatile long tokenDelayMillis = 0;

    volatile Optional<String> lyingDigest = Optional.empty();
    volatile boolean tamperBlobs = false;
    volatile long extraBlobBytes = 0;
    /** Cut the first GET of a blob after this many bytes (-1: never). */
    volatile long cutFirstBlobAfter = -1;

    volatile boolean honourRange = false;
    /** Where blob GETs are redirected ("" for none): an absolute URL prefix, or a path on this server. */
    volatile String blobRedirect = "";

    record Manifest(byte[] bytes, String mediaType) {}

    private FakeRegistry(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeRegistry start() throws IOException {
        return new FakeRegistry(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    static FakeRegistry startTls(SSLContext context) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(context));
        return new FakeRegistry(https);
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    ImageReference ref(String repositoryAndTag) {
        return ImageReference.parse(host() + "/" + repositoryAndTag);
    }

    synchronized OciDigest putManifest(String repository, String tag, String mediaType, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        OciDigest digest = OciDigest.sha256(bytes);
        manifests.put(repository + ":" + tag, new Manifest(bytes, mediaType));
        manifests.put(repository + ":" + digest, new Manifest(bytes, mediaType));
        return digest;
    }

    /** Serves {@code bytes} at /v2/REPO/manifests/REFERENCE whatever they hash to. */
    synchronized void putRaw(String repository, String reference, String mediaType, byte[] bytes) {
        manifests.put(repository + ":" + reference, new Manifest(bytes, mediaType));
    }

    OciDigest putImageManifest(String repository, String tag) {
        return putManifest(
                repository,
                tag,
                OciMediaTypes.OCI_MANIFEST,
                "{\"schemaVersion\":2,\"mediaType\":\"" + OciMediaTypes.OCI_MANIFEST + "\",\"layers\":[]}");
    }

    synchronized OciDescriptor putBlob(byte[] content) {
        OciDigest digest = OciDigest.sha256(content);
        blobs.put(digest.toString(), content);
        return new OciDescriptor("application/octet-stream", digest, content.length, "", Map.of(), Optional.empty());
    }

    void failNext(String pathPart, int status, Map<String, String> headers) {
        failures.add(new Failure(pathPart, status, headers));
    }

    long count(String method, String pathPart) {
        synchronized (requests) {
            return requests.stream()
                    .filter(r -> r.method().equals(method) && r.path().contains(pathPart))
                    .count();
        }
    }

    long countExact(String method, String path) {
        synchronized (requests) {
            return requests.stream()
                    .filter(r -> r.method().equals(method) && r.path().equals(path))
                    .count();
        }
    }

    List<Request> requestsTo(String pathPart) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.path().contains(pathPart)).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            requests.add(new Request(
                    method,
                    path,
                    Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Range")),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("User-Agent"))));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (Failure f : failures) {
                if (path.contains(f.pathPart()) && failures.remove(f)) {
                    f.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                    send(exchange, f.status(), "{\"errors\":[{\"code\":\"CANNED\",\"message\":\"canned failure\"}]}");
                    return;
                }
            }
            if (path.equals("/token")) {
                token(exchange, body);
            } else if (path.startsWith("/storage/")) {
                blob(exchange, path.substring("/storage/".length()));
            } else if (path.equals("/v2/")) {
                if (auth == Auth.NONE) {
                    send(exchange, 200, "{}");
                } else {
                    challenge(exchange, "");
                }
            } else if (path.startsWith("/v2/")) {
                api(exchange, path, method);
            } else {
                send(exchange, 404, "");
            }
        }
    }

    private void api(HttpExchange exchange, String path, String method) throws IOException {
        Matcher manifest = MANIFEST.matcher(path);
        Matcher blob = BLOB.matcher(path);
        String repository = manifest.matches() ? manifest.group(1) : blob.matches() ? blob.group(1) : "";
        if (!authorized(exchange, repository)) {
            return;
        }
        if (manifest.matches()) {
            manifest(exchange, repository + ":" + manifest.group(2), method);
        } else if (blob.matches() && !blobRedirect.isEmpty()) {
            exchange.getResponseHeaders().add("Location", blobRedirect + blob.group(2));
            send(exchange, 307, "");
        } else if (blob.matches()) {
            blob(exchange, blob.group(2));
        } else {
            send(exchange, 404, "");
        }
    }

    private boolean authorized(HttpExchange exchange, String repository) throws IOException {
        String given = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
                .orElse("");
        boolean ok = switch (auth) {
            case NONE -> true;
            case BASIC -> given.equals("Basic " + base64(user + ":" + password));
            case BEARER -> given.equals("Bearer " + tokenFor(repository));
        };
        if (!ok) {
            if (given.startsWith("Bearer ")) {
                rejectedTokens.incrementAndGet();
            }
            challenge(exchange, repository);
        }
        return ok;
    }

    /** A token names its repository and generation, so a token for another repository or an old one fails. */
    private String tokenFor(String repository) {
        return "token-" + repository.replace('/', '.') + "-" + tokenGeneration.get();
    }

    private void challenge(HttpExchange exchange, String repository) throws IOException {
        String value = auth == Auth.BASIC
                ? "Basic realm=\"fake, registry\""
                : "Bearer realm=\"http://" + host() + "/token\",service=\"fake-registry\""
                        + (repository.isEmpty() ? "" : ",scope=\"repository:" + repository + ":pull\"");
        exchange.getResponseHeaders().add("WWW-Authenticate", value);
        send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
    }

    private void token(HttpExchange exchange, String body) throws IOException {
        tokenFetches.incrementAndGet();
        sleep(tokenDelayMillis);
        boolean oauth = exchange.getRequestMethod().equals("POST");
        Map<String, String> query =
                query(oauth ? body : exchange.getRequestURI().getRawQuery());
        if (oauth
                && !(query.get("grant_type").equals("refresh_token")
                        && query.get("refresh_token").equals(refreshToken))) {
            send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad refresh token\"}]}");
            return;
        }
        String given = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
                .orElse("");
        if (!given.isEmpty() && !given.equals("Basic " + base64(user + ":" + password))) {
            send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
            return;
        }
        String scope = query.getOrDefault("scope", "");
        Matcher m = Pattern.compile("repository:(.+):pull").matcher(scope);
        if (!m.matches() || !"fake-registry".equals(query.get("service"))) {
            send(exchange, 400, "{\"errors\":[{\"code\":\"BAD_SCOPE\",\"message\":\"" + scope + "\"}]}");
            return;
        }
        String field = oauth ? "access_token" : "token";
        send(
                exchange,
                200,
                "{\"" + field + "\":\"" + tokenFor(m.group(1)) + "\",\"expires_in\":" + tokenLifetimeSeconds + "}");
    }

    private synchronized Manifest manifestFor(String key) {
        return manifests.get(key);
    }

    private synchronized byte[] blobFor(String digest) {
        return blobs.get(digest);
    }

    private void manifest(HttpExchange exchange, String key, String method) throws IOException {
        Manifest m = manifestFor(key);
        if (m == null) {
            send(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", m.mediaType());
        exchange.getResponseHeaders()
                .add(
                        "Docker-Content-Digest",
                        lyingDigest.orElse(OciDigest.sha256(m.bytes()).toString()));
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, m.bytes().length);
        exchange.getResponseBody().write(m.bytes());
    }

    private void blob(HttpExchange exchange, String digest) throws IOException {
        byte[] stored = blobFor(digest);
        if (stored == null) {
            send(exchange, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}");
            return;
        }
        byte[] content = stored.clone();
        if (tamperBlobs) {
            content[content.length / 2] ^= 1;
        }
        if (extraBlobBytes > 0) {
            content = java.util.Arrays.copyOf(content, content.length + (int) extraBlobBytes);
        }
        int from = 0;
        Optional<String> range =
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Range"));
        if (honourRange && range.isPresent()) {
            Matcher m = RANGE.matcher(range.get());
            if (m.matches()) {
                from = Integer.parseInt(m.group(1));
                exchange.getResponseHeaders()
                        .add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            }
        }
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, extraBlobBytes > 0 ? 0 : content.length - from);
        OutputStream out = exchange.getResponseBody();
        long cut = cutFirstBlobAfter;
        if (cut >= 0) {
            cutFirstBlobAfter = -1;
            out.write(content, 0, (int) cut);
            out.flush();
            throw new IOException("cut short on purpose: the connection closes with fewer bytes than announced");
        }
        out.write(content, from, content.length - from);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> result = new LinkedHashMap<>();
        if (raw == null) {
            return result;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            result.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return result;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
