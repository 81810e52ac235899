package org.jrunc.image.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciMediaTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against {@link FakeRegistry} over real HTTP on 127.0.0.1. */
class RegistryClientTest {
    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5));

    @TempDir
    Path dir;

    private FakeRegistry registry;

    @BeforeEach
    void start() throws IOException {
        registry = FakeRegistry.start();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** The https probe of a plain-HTTP registry waits out its limit, so tests keep it short. */
    private static final Duration PING_LIMIT = Duration.ofMillis(500);

    private static RegistryClient client(Credentials credentials) {
        return new RegistryClient(
                RegistryOptions.defaults(credentials).withTlsVerify(false).withRetry(QUICK),
                new ClientTiming(Clock.systemUTC(), PING_LIMIT));
    }

    private RegistryClient client() {
        return client(Credentials.none());
    }

    private Credentials authFile(String key, String user, String password) throws IOException {
        Path file = dir.resolve("auth.json");
        Files.writeString(
                file,
                "{\"auths\":{\"" + key + "\":{\"auth\":\"" + FakeRegistry.base64(user + ":" + password) + "\"}}}");
        return Credentials.load(Optional.of(file), Map.of());
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Counts what a progress display is told. */
    private static final class CountingProgress implements BlobProgress {
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger restarts = new AtomicInteger();

        @Override
        public void transferred(long n) {
            bytes.addAndGet(n);
        }

        @Override
        public void restarted() {
            bytes.set(0);
            restarts.incrementAndGet();
        }
    }

    /** Fails if HEAD is not sent, the digest is not the header's, or 404 is not empty. */
    @Test
    void headGivesTheDigestMediaTypeAndSizeAndEmptyOn404() {
        OciDigest digest = registry.putImageManifest("a/b", "v1");
        RegistryClient client = client();

        ManifestHead head = client.headManifest(registry.ref("a/b:v1")).orElseThrow();

        assertEquals(digest, head.digest());
        assertEquals(OciMediaTypes.OCI_MANIFEST, head.mediaType());
        assertEquals(registry.count("HEAD", "/manifests/v1"), 1);
        assertEquals(0, registry.count("GET", "/manifests/"), "HEAD must not fall back to GET");
        assertTrue(client.headManifest(registry.ref("a/b:missing")).isEmpty());
    }

    /** Fails if Accept lacks one of the four media types, offers schema 1, or the User-Agent is not jrunc's. */
    @Test
    void manifestRequestsAcceptTheFourTypesAndSayWhoTheyAre() {
        registry.putImageManifest("a/b", "v1");
        client().fetchManifest(registry.ref("a/b:v1"));

        FakeRegistry.Request get = registry.requestsTo("/manifests/v1").get(0);
        String accept = get.accept().orElseThrow();
        for (String type : List.of(
                OciMediaTypes.OCI_INDEX,
                OciMediaTypes.OCI_MANIFEST,
                OciMediaTypes.DOCKER_MANIFEST_LIST,
                OciMediaTypes.DOCKER_MANIFEST)) {
            assertTrue(accept.contains(type), accept);
        }
        assertFalse(accept.contains("distribution.manifest.v1"), accept);
        assertTrue(
                get.userAgent().orElseThrow().startsWith("jrunc/"),
                get.userAgent().toString());
    }

    /** Fails if a GET by tag trusts the registry's Docker-Content-Digest without hashing the bytes. */
    @Test
    void aTagWhoseDigestHeaderLiesIsRefused() {
        registry.putImageManifest("a/b", "v1");
        OciDigest other = OciDigest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        registry.lyingDigest = Optional.of(other.toString());

        RegistryException e =
                assertThrows(RegistryException.class, () -> client().fetchManifest(registry.ref("a/b:v1")));

        assertTrue(e.getMessage().startsWith("docker://" + registry.host() + "/a/b:v1: "), e.getMessage());
        assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
    }

    /** Fails if a GET by tag does not return sha256 of the bytes, or by digest accepts other bytes. */
    @Test
    void manifestDigestsAreThoseOfTheBytes() {
        OciDigest digest = registry.putImageManifest("a/b", "v1");
        FetchedManifest byTag = client().fetchManifest(registry.ref("a/b:v1"));
        assertEquals(digest, byTag.digest());
        assertEquals(digest, OciDigest.sha256(byTag.bytes()));
        assertEquals(OciMediaTypes.OCI_MANIFEST, byTag.mediaType());

        OciDigest claimed = OciDigest.sha256("claimed".getBytes(StandardCharsets.UTF_8));
        registry.putRaw("a/b", claimed.toString(), OciMediaTypes.OCI_MANIFEST, byTag.bytes());
        RegistryException e = assertThrows(
                RegistryException.class,
                () -> client().fetchManifest(registry.ref("a/b").withDigest(claimed)));
        assertTrue(e.getMessage().contains("does not match its digest"), e.getMessage());
    }

    /** Fails if a manifest of more than 4 MiB is read, or an unknown media type or schema 1 is accepted. */
    @Test
    void oversizedAndUnknownManifestsAreRefused() {
        registry.putRaw("a/b", "big", OciMediaTypes.OCI_MANIFEST, new byte[4 * 1024 * 1024 + 1]);
        registry.putRaw("a/b", "odd", "application/x-odd", "{}".getBytes(StandardCharsets.UTF_8));
        registry.putRaw(
                "a/b",
                "old",
                "application/vnd.docker.distribution.manifest.v1+prettyjws",
                "{}".getBytes(StandardCharsets.UTF_8));
        registry.putRaw(
                "a/b",
                "generic",
                "application/json",
                ("{\"mediaType\":\"" + OciMediaTypes.DOCKER_MANIFEST + "\"}").getBytes(StandardCharsets.UTF_8));
        RegistryClient client = client();

        assertTrue(assertThrows(RegistryException.class, () -> client.fetchManifest(registry.ref("a/b:big")))
                .getMessage()
                .contains("larger than 4 MiB"));
        assertTrue(assertThrows(RegistryException.class, () -> client.fetchManifest(registry.ref("a/b:odd")))
                .getMessage()
                .contains("unsupported manifest media type \"application/x-odd\""));
        assertTrue(assertThrows(RegistryException.class, () -> client.fetchManifest(registry.ref("a/b:old")))
                .getMessage()
                .contains("schema 1"));
        assertEquals(
                OciMediaTypes.DOCKER_MANIFEST,
                client.fetchManifest(registry.ref("a/b:generic")).mediaType());
    }

    /** Fails if the file is not the blob or progress does not add up to its size. */
    @Test
    void aBlobStreamsIntoTheFile() throws IOException {
        byte[] content = randomBytes(1_000_000, 1);
        OciDescriptor blob = registry.putBlob(content);
        Path file = dir.resolve("blob");
        Files.writeString(file, "old content that must be replaced, not appended to".repeat(100_000));
        CountingProgress progress = new CountingProgress();

        client().downloadBlob(registry.ref("a/b:v1"), blob, file, progress);

        assertArrayEquals(content, Files.readAllBytes(file));
        assertEquals(content.length, progress.bytes.get());
        assertEquals(0, progress.restarts.get());
    }

    /** Fails if a tampered blob is kept, or the message does not name its digest. */
    @Test
    void aTamperedBlobIsRefusedAndLeavesNoFile() {
        OciDescriptor blob = registry.putBlob(randomBytes(100_000, 2));
        registry.tamperBlobs = true;
        Path file = dir.resolve("blob");

        RegistryException e = assertThrows(
                RegistryException.class,
                () -> client().downloadBlob(registry.ref("a/b:v1"), blob, file, BlobProgress.NONE));

        assertTrue(e.getMessage().contains(blob.digest().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
        assertFalse(Files.exists(file));
        assertEquals(1, registry.count("GET", "/blobs/"), "a digest mismatch is not retried");
    }

    /** Fails if the download reads past the descriptor's size instead of stopping at once. */
    @Test
    void aBlobLongerThanItsSizeStopsEarly() {
        OciDescriptor blob = registry.putBlob(randomBytes(10_000, 3));
        registry.extraBlobBytes = 50L * 1024 * 1024; // chunked, so no Content-Length warns ahead
        Path file = dir.resolve("blob");
        CountingProgress progress = new CountingProgress();

        RegistryException e = assertThrows(
                RegistryException.class, () -> client().downloadBlob(registry.ref("a/b:v1"), blob, file, progress));

        assertTrue(e.getMessage().contains("more than the 10000 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains(blob.digest().toString()), e.getMessage());
        assertTrue(progress.bytes.get() <= blob.size(), "transferred " + progress.bytes.get());
        assertFalse(Files.exists(file));
    }

    /** Fails if 429 is not retried, or Retry-After: 0 is not honoured over a longer backoff. */
    @Test
    void twoTooManyRequestsThenSuccess() throws IOException {
        OciDescriptor blob = registry.putBlob(randomBytes(1000, 4));
        registry.failNext("/blobs/", 429, Map.of("Retry-After", "0"));
        registry.failNext("/blobs/", 429, Map.of("Retry-After", "0"));
        RegistryClient patient = new RegistryClient(
                RegistryOptions.defaults(Credentials.none())
                        .withTlsVerify(false)
                        .withRetry(new RetryPolicy(3, Duration.ofHours(1), Duration.ofHours(1))),
                new ClientTiming(Clock.systemUTC(), PING_LIMIT));
        Path file = dir.resolve("blob");

        patient.downloadBlob(registry.ref("a/b:v1"), blob, file, BlobProgress.NONE);

        assertEquals(3, registry.count("GET", "/blobs/"));
        assertTrue(Files.exists(file));
    }

    /** Fails if the policy's backoff does not double, ignores Retry-After, or lets either pass maxDelay. */
    @Test
    void backoffDoublesAndRetryAfterIsCapped() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(350));
        assertEquals(Duration.ofMillis(100), policy.delayAfter(1, Optional.empty()));
        assertEquals(Duration.ofMillis(200), policy.delayAfter(2, Optional.empty()));
        assertEquals(Duration.ofMillis(350), policy.delayAfter(3, Optional.empty()));
        assertEquals(Duration.ofMillis(350), policy.delayAfter(40, Optional.empty()));
        assertEquals(Duration.ofMillis(0), policy.delayAfter(1, Optional.of(Duration.ZERO)));
        assertEquals(Duration.ofMillis(350), policy.delayAfter(1, Optional.of(Duration.ofSeconds(3))));
    }

    /** Fails if a 500 is not retried up to the attempts, or the final message is not one clear line. */
    @Test
    void serverErrorsAreRetriedThenGivenUp() {
        registry.putImageManifest("a/b", "v1");
        for (int i = 0; i < 5; i++) {
            registry.failNext("/manifests/", 500, Map.of());
        }

        RegistryException e =
                assertThrows(RegistryException.class, () -> client().fetchManifest(registry.ref("a/b:v1")));

        assertEquals(3, registry.count("GET", "/manifests/"));
        assertEquals(
                "docker://" + registry.host()
                        + "/a/b:v1: fetching the manifest failed after 3 attempts: HTTP 500 (CANNED: canned failure)",
                e.getMessage());
    }

    /** Fails if a 4xx other than 401/429 is retried. */
    @Test
    void aMissingBlobIsNotRetried() {
        OciDescriptor absent =
                new OciDescriptor("", OciDigest.sha256(new byte[] {1}), 1, "", Map.of(), Optional.empty());

        RegistryException e = assertThrows(
                RegistryException.class,
                () -> client().downloadBlob(registry.ref("a/b:v1"), absent, dir.resolve("x"), BlobProgress.NONE));

        assertEquals(1, registry.count("GET", "/blobs/"));
        assertTrue(e.getMessage().contains("HTTP 404 (BLOB_UNKNOWN: blob unknown)"), e.getMessage());
        assertTrue(e.getMessage().contains(absent.digest().toString()), e.getMessage());
    }

    /** Fails if a stream cut midway is not retried, or a server answering the retry with 200 is not restarted. */
    @Test
    void aCutStreamStartsAgainWhenTheServerIgnoresRange() throws IOException {
        byte[] content = randomBytes(300_000, 5);
        OciDescriptor blob = registry.putBlob(content);
        registry.cutFirstBlobAfter = 100_000;
        Path file = dir.resolve("blob");
        CountingProgress progress = new CountingProgress();

        client().downloadBlob(registry.ref("a/b:v1"), blob, file, progress);

        assertArrayEquals(content, Files.readAllBytes(file));
        assertEquals(1, progress.restarts.get());
        assertEquals(content.length, progress.bytes.get());
        assertEquals(2, registry.count("GET", "/blobs/"));
    }

    /** Fails if the retry does not ask for the rest with Range, or the resumed file is not verified whole. */
    @Test
    void aCutStreamResumesWithRange() throws IOException {
        byte[] content = randomBytes(300_000, 6);
        OciDescriptor blob = registry.putBlob(content);
        registry.cutFirstBlobAfter = 100_000;
        registry.honourRange = true;
        Path file = dir.resolve("blob");
        CountingProgress progress = new CountingProgress();

        client().downloadBlob(registry.ref("a/b:v1"), blob, file, progress);

        assertArrayEquals(content, Files.readAllBytes(file));
        assertEquals(0, progress.restarts.get());
        List<FakeRegistry.Request> gets = registry.requestsTo("/blobs/");
        assertEquals(2, gets.size());
        String range = gets.get(1).range().orElseThrow();
        assertTrue(range.matches("bytes=[1-9][0-9]*-"), range);
    }

    /** Fails if tokens are cached per registry rather than per repository scope (the server rejects those). */
    @Test
    void bearerTokensAreScopedToTheRepository() {
        registry.auth = FakeRegistry.Auth.BEARER;
        registry.putImageManifest("team/one", "v1");
        registry.putImageManifest("team/two", "v1");
        RegistryClient client = client();

        client.fetchManifest(registry.ref("team/one:v1"));
        client.fetchManifest(registry.ref("team/two:v1"));
        client.fetchManifest(registry.ref("team/one:v1"));

        assertEquals(2, registry.tokenFetches.get());
        assertEquals(0, registry.rejectedTokens.get(), "a token was sent to a repository it is not for");
        assertEquals(1, registry.countExact("GET", "/v2/"), "one ping per registry");
        FakeRegistry.Request first = registry.requestsTo("/token").get(0);
        assertTrue(first.query().contains("scope=repository%3Ateam%2Fone%3Apull"), first.query());
        assertTrue(first.query().contains("service=fake-registry"), first.query());
        assertTrue(first.authorization().isEmpty(), "anonymous token requests carry no credentials");
    }

    /** Fails if a token the registry stops accepting is not fetched again once (or more than once). */
    @Test
    void aRevokedTokenIsFetchedAgainOnce() {
        registry.auth = FakeRegistry.Auth.BEARER;
        registry.putImageManifest("a/b", "v1");
        RegistryClient client = client();
        client.fetchManifest(registry.ref("a/b:v1"));

        registry.tokenGeneration.incrementAndGet();
        client.fetchManifest(registry.ref("a/b:v1"));

        assertEquals(2, registry.tokenFetches.get());
        assertEquals(1, registry.rejectedTokens.get());
    }

    /** Fails if a token is used past its expires_in, or fetched again before. */
    @Test
    void anExpiredTokenIsFetchedAgain() {
        registry.auth = FakeRegistry.Auth.BEARER;
        registry.tokenLifetimeSeconds = 120;
        registry.putImageManifest("a/b", "v1");
        MovableClock clock = new MovableClock();
        RegistryClient client = new RegistryClient(
                RegistryOptions.defaults(Credentials.none())
                        .withTlsVerify(false)
                        .withRetry(QUICK),
                new ClientTiming(clock, PING_LIMIT));

        client.fetchManifest(registry.ref("a/b:v1"));
        clock.now = clock.now.plusSeconds(119);
        client.fetchManifest(registry.ref("a/b:v1"));
        assertEquals(1, registry.tokenFetches.get());

        clock.now = clock.now.plusSeconds(2);
        client.fetchManifest(registry.ref("a/b:v1"));
        assertEquals(2, registry.tokenFetches.get());
        assertEquals(0, registry.rejectedTokens.get());
    }

    private static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Fails if the token server is not given the user's Basic credentials and account. */
    @Test
    void bearerWithCredentialsAuthenticatesAtTheTokenServer() throws IOException {
        registry.auth = FakeRegistry.Auth.BEARER;
        registry.putImageManifest("a/b", "v1");

        client(authFile(registry.host(), "alice", "secret")).fetchManifest(registry.ref("a/b:v1"));

        FakeRegistry.Request token = registry.requestsTo("/token").get(0);
        assertEquals(Optional.of("Basic " + FakeRegistry.base64("alice:secret")), token.authorization());
        assertTrue(token.query().contains("account=alice"), token.query());
    }

    /** Fails if an identity token is not exchanged by the OAuth2 refresh_token POST (whose answer is access_token). */
    @Test
    void identityTokensAreExchangedAtTheTokenServer() throws IOException {
        registry.auth = FakeRegistry.Auth.BEARER;
        registry.putImageManifest("a/b", "v1");
        Path file = dir.resolve("auth.json");
        Files.writeString(file, "{\"auths\":{\"" + registry.host() + "\":{\"identitytoken\":\"refresh-me\"}}}");

        client(Credentials.load(Optional.of(file), Map.of())).fetchManifest(registry.ref("a/b:v1"));

        assertEquals(1, registry.count("POST", "/token"));
        assertEquals(0, registry.rejectedTokens.get());
    }

    /** Fails if wrong credentials at the token server are not one line naming their file. */
    @Test
    void rejectedCredentialsAtTheTokenServerNameTheirFile() throws IOException {
        registry.auth = FakeRegistry.Auth.BEARER;
        registry.putImageManifest("a/b", "v1");

        RegistryException e = assertThrows(
                RegistryException.class,
                () -> client(authFile(registry.host(), "alice", "wrong")).fetchManifest(registry.ref("a/b:v1")));

        assertTrue(
                e.getMessage().contains("rejected the credentials from " + dir.resolve("auth.json")), e.getMessage());
        assertEquals(1, registry.tokenFetches.get(), "a 401 from the token server is not retried");
    }

    /** Fails if Basic credentials are not sent, or a missing one is not explained with where they were sought. */
    @Test
    void basicAuthentication() throws IOException {
        registry.auth = FakeRegistry.Auth.BASIC;
        registry.putImageManifest("a/b", "v1");

        FetchedManifest m = client(authFile(registry.host(), "alice", "secret")).fetchManifest(registry.ref("a/b:v1"));
        assertEquals(OciMediaTypes.OCI_MANIFEST, m.mediaType());

        Path home = Files.createDirectories(dir.resolve("home"));
        Credentials nothing =
                Credentials.load(Optional.empty(), Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", home.toString()));
        RegistryException e =
                assertThrows(RegistryException.class, () -> client(nothing).fetchManifest(registry.ref("a/b:v1")));
        assertTrue(e.getMessage().contains("authentication required (HTTP 401"), e.getMessage());
        assertTrue(e.getMessage().contains("no credentials for " + registry.host() + " in "), e.getMessage());
        assertTrue(e.getMessage().contains(home.resolve(".docker/config.json").toString()), e.getMessage());

        RegistryException wrong = assertThrows(
                RegistryException.class,
                () -> client(authFile(registry.host(), "alice", "nope")).fetchManifest(registry.ref("a/b:v1")));
        assertTrue(wrong.getMessage().contains("rejected the credentials from"), wrong.getMessage());
    }

    /** Fails if the Authorization header follows a redirect to another origin, or is dropped on the same one. */
    @Test
    void redirectsCarryAuthorizationOnlyWithinTheOrigin() throws IOException {
        registry.auth = FakeRegistry.Auth.BEARER;
        byte[] content = randomBytes(5000, 7);
        OciDescriptor blob = registry.putBlob(content);
        try (FakeRegistry storage = FakeRegistry.start()) {
            storage.putBlob(content);
            registry.blobRedirect = "http://" + storage.host() + "/storage/";
            client().downloadBlob(registry.ref("a/b:v1"), blob, dir.resolve("elsewhere"), BlobProgress.NONE);
            FakeRegistry.Request there = storage.requestsTo("/storage/").get(0);
            assertTrue(there.authorization().isEmpty(), "Authorization leaked to " + storage.host());
        }
        registry.blobRedirect = "/storage/"; // relative: the same origin
        client().downloadBlob(registry.ref("a/b:v1"), blob, dir.resolve("here"), BlobProgress.NONE);
        FakeRegistry.Request here = registry.requestsTo("/storage/").get(0);
        assertTrue(here.authorization().orElse("").startsWith("Bearer "), here.toString());
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("here")));
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("elsewhere")));
    }

    /** Fails if --tls-verify=false does not fall back to http, or verified TLS ever does. */
    @Test
    void plainHttpOnlyWithoutTlsVerification() {
        registry.putImageManifest("a/b", "v1");

        assertNotNull(client().fetchManifest(registry.ref("a/b:v1")));

        RegistryClient verifying = new RegistryClient(
                RegistryOptions.defaults(Credentials.none()).withRetry(QUICK),
                new ClientTiming(Clock.systemUTC(), PING_LIMIT));
        RegistryException e =
                assertThrows(RegistryException.class, () -> verifying.fetchManifest(registry.ref("a/b:v1")));
        // a plain server either answers the ClientHello with garbage (a TLS failure) or waits for more (a timeout)
        assertTrue(
                e.getMessage().contains("TLS failure talking to 127.0.0.1")
                        || e.getMessage().contains("GET https://" + registry.host() + "/v2/"),
                e.getMessage());
        assertEquals(1, registry.countExact("GET", "/v2/"), "the verifying client must not have used http");
        assertEquals(1, registry.count("GET", "/manifests/"), "the verifying client must not have used http");
    }

    /** Fails if --tls-verify=false still checks the certificate (or its host name), or verified TLS does not. */
    @Test
    void unverifiedTlsOnlyWithoutTlsVerification() throws Exception {
        try (FakeRegistry https = FakeRegistry.startTls(SelfSignedTls.context(dir))) {
            https.putImageManifest("a/b", "v1");

            assertNotNull(client().fetchManifest(https.ref("a/b:v1")));
            assertEquals(1, https.count("GET", "/manifests/"));

            RegistryClient verifying = new RegistryClient(
                    RegistryOptions.defaults(Credentials.none()).withRetry(QUICK),
                    new ClientTiming(Clock.systemUTC(), PING_LIMIT));
            RegistryException e =
                    assertThrows(RegistryException.class, () -> verifying.fetchManifest(https.ref("a/b:v1")));
            assertTrue(e.getMessage().contains("TLS failure talking to 127.0.0.1"), e.getMessage());
            assertEquals(1, https.count("GET", "/manifests/"));
        }
    }

    /** Fails if 4 threads starting together each ping or fetch a token, or their downloads interfere. */
    @Test
    void concurrentDownloadsShareOnePingAndOneToken() throws Exception {
        registry.auth = FakeRegistry.Auth.BEARER;
        registry.tokenDelayMillis = 300;
        List<OciDescriptor> blobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            blobs.add(registry.putBlob(randomBytes(200_000 + i, 10 + i)));
        }
        RegistryClient client = client();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                OciDescriptor blob = blobs.get(i);
                Path file = dir.resolve("blob" + i);
                futures.add(
                        pool.submit(() -> client.downloadBlob(registry.ref("a/b:v1"), blob, file, BlobProgress.NONE)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, registry.tokenFetches.get());
        assertEquals(1, registry.countExact("GET", "/v2/"), "one ping");
        for (int i = 0; i < 4; i++) {
            assertEquals(blobs.get(i).digest(), OciDigest.sha256(Files.readAllBytes(dir.resolve("blob" + i))));
        }
    }
}
