package org.jrunc.spectest.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP front for a {@link LocalRegistry} on 127.0.0.1 ({@link PlainHttpPort}, then a JDK HttpServer), playing the parts of a public registry that a plain
 * docker-registry does not: bearer-token authentication with a token realm ({@link #requireBearerTokens}), and faults a
 * test asks for: 429 or 503 answers to blob GETs, a blob with one byte flipped, blob GETs redirected to a "blob store"
 * on another host (127.0.0.2) that refuses, as S3 does, requests carrying an Authorization header, and a throttled
 * blob. Every request is recorded (method, path, status) for counting. Uploads pass through unchanged.
 */
public final class RegistryFront implements AutoCloseable {
    private static final Pattern BLOB = Pattern.compile("^/v2/(.+)/blobs/(sha256:[0-9a-f]{64})$");
    private static final Pattern MANIFEST = Pattern.compile("^/v2/(.+)/manifests/([^/]+)$");
    /** every /v2/ request but the ping names its repository before one of these */
    private static final Pattern REPOSITORY = Pattern.compile("^/v2/(.+)/(blobs|manifests|tags)/.*$");

    private static final Set<String> HOP_BY_HOP = Set.of(
            "host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive", "date");

    /** One request as the front (or its blob store) answered it. */
    public record Request(String method, String path, int status, boolean hadAuthorization) {
        public boolean isBlob() {
            return BLOB.matcher(path).matches() || path.startsWith("/store/");
        }

        public boolean isManifest() {
            return MANIFEST.matcher(path).matches();
        }

        /** The digest of a blob request, else null. */
        public String blobDigest() {
            int at = path.lastIndexOf("/sha256:");
            return isBlob() && at >= 0 ? path.substring(at + 1) : null;
        }
    }

    /** Answers that replace the next {@code count} blob GETs: {@code status}, with Retry-After when it is not null. */
    public record FailedResponses(int count, int status, Integer retryAfterSeconds) {
        public static FailedResponses tooManyRequests(int count, int retryAfterSeconds) {
            return new FailedResponses(count, 429, retryAfterSeconds);
        }

        public static FailedResponses unavailable(int count) {
            return new FailedResponses(count, 503, null);
        }
    }

    /**
     * One exchange and the log it goes to, noted before a handler changes its headers and logged once: as soon as the
     * headers are out, so a test sees a blob GET while its body is still streaming. (HttpExchange's own attributes are
     * shared by every exchange of a context in JDK 17.)
     */
    private static final class Answer {
        final HttpExchange exchange;
        private final List<Request> log;
        private final String method;
        private final String path;
        private final boolean authorized;
        private boolean recorded;

        Answer(HttpExchange exchange, List<Request> log) {
            this.exchange = exchange;
            this.log = log;
            this.method = exchange.getRequestMethod();
            this.path = exchange.getRequestURI().getRawPath();
            this.authorized = exchange.getRequestHeaders().containsKey("Authorization");
        }

        void record(int status) {
            if (recorded) {
                return;
            }
            recorded = true;
            synchronized (log) {
                log.add(new Request(method, path, status, authorized));
            }
        }
    }

    private final LocalRegistry upstream;
    private final HttpServer server;
    private final HttpServer blobStore;
    private final PlainHttpPort port;
    private final ExecutorService threads;
    private final HttpClient client;
    private final BlobFaults faults = new BlobFaults();
    private final List<Request> requests = new ArrayList<>();
    private final List<Request> blobStoreRequests = new ArrayList<>();
    private volatile BearerTokens tokens;

    private RegistryFront(LocalRegistry upstream) throws IOException {
        this.upstream = upstream;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "registry-front");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(threads)
                .build();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.blobStore = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        server.createContext("/", this::handle);
        blobStore.createContext("/", this::handleBlobStore);
        server.setExecutor(threads);
        blobStore.setExecutor(threads);
        server.start();
        blobStore.start();
        this.port = new PlainHttpPort(server.getAddress(), threads);
    }

    /** A front for {@code upstream}, passing everything through until a test asks for more. */
    public static RegistryFront start(LocalRegistry upstream) throws IOException {
        return new RegistryFront(upstream);
    }

    /**
     * From now on every /v2/ request needs a bearer token from this front's realm ({@code /token}), which hands them
     * out for {@code credentials} only. The front then talks to the registry with the registry's own credentials.
     */
    public RegistryFront requireBearerTokens(Credentials credentials) {
        tokens = new BearerTokens(baseUri().resolve("/token").toString(), credentials);
        return this;
    }

    /** Every token issued so far stops working (as if it expired). */
    public void revokeTokens() {
        requireTokens().revokeAll();
    }

    public void failNextBlobGets(FailedResponses responses) {
        faults.failNext(responses);
    }

    /** Blob {@code digest} is served with one byte (the middle one) flipped: same length, wrong content. */
    public void tamperBlob(String digest) {
        faults.tamper(digest);
    }

    /** Blob GETs answer 307 to the blob store on 127.0.0.2, which serves them only without an Authorization header. */
    public void redirectBlobs() {
        faults.redirect();
    }

    /** Blob {@code digest} is sent at about {@code bytesPerSecond}, so a test can kill a pull in the middle of it. */
    public void throttleBlob(String digest, long bytesPerSecond) {
        faults.throttle(digest, bytesPerSecond);
    }

    /** {@code 127.0.0.1:PORT}, the host part of an image reference through this front. */
    public String address() {
        return "127.0.0.1:" + port.port();
    }

    public URI baseUri() {
        return URI.create("http://" + address());
    }

    /** {@code 127.0.0.1:PORT/REPOSITORY:TAG} through this front. */
    public String reference(String repository, String tag) {
        return address() + "/" + repository + ":" + tag;
    }

    /** The requests answered so far, in order (token requests too, as /token). */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests the blob store (the target of {@link #redirectBlobs}) answered, with whether they carried auth. */
    public List<Request> blobStoreRequests() {
        synchronized (blobStoreRequests) {
            return List.copyOf(blobStoreRequests);
        }
    }

    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
        synchronized (blobStoreRequests) {
            blobStoreRequests.clear();
        }
    }

    /**
     * Waits until a request matching {@code what} has been answered (its status and headers sent: a throttled blob's
     * body is still on its way) and returns it; fails after {@code timeout}.
     */
    public Request awaitRequest(Predicate<Request> what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Request> found = requests().stream()
                    .filter(what)
                    .findFirst()
                    .or(() -> blobStoreRequests().stream().filter(what).findFirst());
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such request within " + timeout + "; requests: " + requests());
    }

    private BearerTokens requireTokens() {
        BearerTokens t = tokens;
        if (t == null) {
            throw new IllegalStateException("requireBearerTokens first");
        }
        return t;
    }

    private void handle(HttpExchange exchange) {
        answer(
                exchange,
                requests,
                answer -> route(
                        answer,
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath()));
    }

    /** What a handler does with one exchange: the status it sent. */
    private interface Route {
        int respond(Answer answer) throws IOException, InterruptedException;
    }

    /** Runs {@code route} on the exchange, answers 500 if it throws, and logs the request with its status. */
    private void answer(HttpExchange exchange, List<Request> log, Route route) {
        Answer answer = new Answer(exchange, log);
        int status = 500;
        try (exchange) {
            status = route.respond(answer);
        } catch (IOException | RuntimeException e) {
            status = failed(exchange, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            answer.record(status);
        }
    }

    private int route(Answer answer, String method, String path) throws IOException, InterruptedException {
        HttpExchange exchange = answer.exchange;
        BearerTokens t = tokens;
        if (path.equals("/token") && t != null) {
            return t.issue(exchange);
        }
        boolean read = method.equals("GET") || method.equals("HEAD");
        Matcher repository = REPOSITORY.matcher(path);
        String repo = repository.matches() ? repository.group(1) : null;
        String action = read ? "pull" : "push";
        if (t != null) {
            if (!t.allows(exchange.getRequestHeaders().getFirst("Authorization"), repo, action)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", t.challenge(repo, action));
                return sendError(exchange, 401, "UNAUTHORIZED", "authentication required");
            }
        }
        Matcher blob = BLOB.matcher(path);
        if (method.equals("GET") && blob.matches()) {
            FailedResponses failure = faults.takeFailure();
            if (failure != null) {
                if (failure.retryAfterSeconds() != null) {
                    exchange.getResponseHeaders()
                            .set("Retry-After", failure.retryAfterSeconds().toString());
                }
                return sendError(
                        exchange,
                        failure.status(),
                        failure.status() == 429 ? "TOOMANYREQUESTS" : "UNAVAILABLE",
                        "injected by the test");
            }
            if (faults.redirecting()) {
                String location = "http://127.0.0.2:" + blobStore.getAddress().getPort() + "/store/" + blob.group(1)
                        + "/" + blob.group(2) + "?signature=test";
                exchange.getResponseHeaders().set("Location", location);
                exchange.sendResponseHeaders(307, -1);
                return 307;
            }
        }
        return forward(answer, blob.matches() ? blob.group(2) : null);
    }

    /** The redirect target: refuses an Authorization header (400, as S3 does), else serves the registry's blob. */
    private void handleBlobStore(HttpExchange exchange) {
        answer(exchange, blobStoreRequests, answer -> {
            if (exchange.getRequestHeaders().containsKey("Authorization")) {
                return sendError(exchange, 400, "InvalidArgument", "only one auth mechanism allowed");
            }
            String path = exchange.getRequestURI().getRawPath();
            String digest = path.substring(path.lastIndexOf('/') + 1);
            String repo = path.substring("/store/".length(), path.lastIndexOf('/'));
            return forwardTo(answer, "/v2/" + repo + "/blobs/" + digest, digest, registryAuthorization());
        });
    }

    private int forward(Answer answer, String blobDigest) throws IOException, InterruptedException {
        URI uri = answer.exchange.getRequestURI();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        // the client's token means nothing to the registry: the front then uses the registry's own credentials
        String authorization = tokens != null
                ? registryAuthorization()
                : answer.exchange.getRequestHeaders().getFirst("Authorization");
        return forwardTo(answer, target, blobDigest, authorization);
    }

    private String registryAuthorization() {
        return upstream.credentials().map(Credentials::basicAuthorization).orElse(null);
    }

    /** Sends the request to the registry at {@code target} with {@code authorization} (may be null) and its answer back. */
    private int forwardTo(Answer answer, String target, String blobDigest, String authorization)
            throws IOException, InterruptedException {
        HttpExchange exchange = answer.exchange;
        String method = exchange.getRequestMethod();
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.baseUri().resolve(target))
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.equalsIgnoreCase("Authorization")) {
                values.forEach(v -> request.header(name, v));
            }
        });
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            int status = response.statusCode();
            if (method.equals("HEAD") || status == 204 || status == 304) {
                // no body follows; a HEAD keeps the registry's Content-Length, which clients read as the size
                response.headers()
                        .firstValue("Content-Length")
                        .ifPresent(v -> exchange.getResponseHeaders().set("Content-Length", v));
                exchange.sendResponseHeaders(status, -1);
                return status;
            }
            exchange.sendResponseHeaders(status, length == 0 ? -1 : Math.max(length, 0));
            answer.record(status);
            try (OutputStream out = exchange.getResponseBody()) {
                faults.copyBlob(blobDigest, status == 200 ? length : -1, in, out);
            }
            return status;
        }
    }

    /**
     * After an exception: the status already sent (the client went away, as a killed pull does), or a 502 naming the
     * exception, so a failing test's client says what broke in the front.
     */
    private static int failed(HttpExchange exchange, Exception e) {
        if (exchange.getResponseCode() > 0) {
            return exchange.getResponseCode();
        }
        try {
            return sendError(
                    exchange, 502, "UNKNOWN", "registry front: " + e.toString().replace('"', '\''));
        } catch (IOException gone) {
            return 502;
        }
    }

    static int sendError(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] body = ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        return status;
    }

    /** Stops the listeners at once (a throttled download is cut off) and their threads. */
    @Override
    public void close() throws IOException {
        port.close();
        server.stop(0);
        blobStore.stop(0);
        threads.shutdownNow();
    }

    /** For failure messages: the requests, one a line. */
    public String describeRequests() {
        StringBuilder sb = new StringBuilder();
        for (Request r : requests()) {
            sb.append(r.method())
                    .append(' ')
                    .append(r.path())
                    .append(' ')
                    .append(r.status())
                    .append('\n');
        }
        return sb.toString();
    }
}
