package org.jrunc.image.registry;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;

/**
 * A client of the OCI distribution API for pulls: manifests by tag or digest, and blobs streamed to files with their
 * digests verified. Thread-safe: the caller downloads several blobs at once through one client,
 * and they share its ping, tokens and credentials.
 */
public final class RegistryClient implements AutoCloseable {
    private final RegistryOptions options;
    private final Transport transport;
    private final Retrier retrier;
    private final ClientTiming timing;
    private final ConcurrentMap<String, RegistrySession> sessions = new ConcurrentHashMap<>();

    public RegistryClient(RegistryOptions options) {
        this(options, ClientTiming.standard());
    }

    /** Tests move the clock tokens expire by and shorten the ping's limit. */
    RegistryClient(RegistryOptions options, ClientTiming timing) {
        this.options = options;
        this.transport = new Transport(options.tlsVerify(), options.userAgent());
        this.retrier = new Retrier(options.retry());
        this.timing = timing;
    }

    /** Ends the client's connections and its HTTP threads; the client is not used after this. */
    @Override
    public void close() {
        transport.close();
    }

    /**
     * The manifest's digest, media type and size without its body (Docker Hub counts GETs, not HEADs). Empty only
     * when the registry answers 404.
     */
    public Optional<ManifestHead> headManifest(ImageReference ref) {
        return retrier.run(ref, "checking the manifest", () -> {
            HttpResponse<InputStream> response = send(ref, ApiCall.head(manifestPath(ref), acceptManifests()));
            int status = response.statusCode();
            if (status == 404) {
                Transport.discard(response);
                return Optional.empty();
            }
            ensureOk(ref, response, "the manifest");
            Transport.discard(response);
            String header = response.headers()
                    .firstValue(ManifestBody.CONTENT_DIGEST)
                    .orElseThrow(() -> RegistryException.of(
                            ref, "the registry's answer to HEAD has no " + ManifestBody.CONTENT_DIGEST));
            OciDigest digest = ManifestBody.claimedDigest(ref, header);
            if (ref.digest().isPresent() && !ref.digest().get().equals(digest)) {
                throw RegistryException.of(ref, "the registry says the manifest's digest is " + digest);
            }
            String mediaType = response.headers()
                    .firstValue("Content-Type")
                    .map(ManifestBody::withoutParameters)
                    .orElse("");
            if (!ManifestBody.MEDIA_TYPES.contains(mediaType)) {
                throw ManifestBody.unsupported(ref, mediaType);
            }
            long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            return Optional.of(new ManifestHead(digest, mediaType, size));
        });
    }

    /** The manifest's bytes, checked against the digest asked for, or the registry's claim for a tag. */
    public FetchedManifest fetchManifest(ImageReference ref) {
        return retrier.run(ref, "fetching the manifest", () -> {
            HttpResponse<InputStream> response = send(ref, ApiCall.get(manifestPath(ref), acceptManifests()));
            ensureOk(ref, response, "the manifest");
            return ManifestBody.read(ref, response);
        });
    }

    /**
     * Streams {@code blob} of {@code repo}'s repository into {@code destination} (created or truncated), verifying
     * its size and digest as it arrives; on any failure the file is gone and the message names the digest.
     */
    public void downloadBlob(ImageReference repo, OciDescriptor blob, Path destination, BlobProgress progress) {
        new BlobDownload(repo, blob, destination, progress, this::send).run(retrier);
    }

    private HttpResponse<InputStream> send(ImageReference ref, ApiCall call) throws TransientFailure {
        RegistrySession session = sessions.computeIfAbsent(
                ref.apiHost(), host -> new RegistrySession(host, transport, options.tlsVerify(), timing));
        Credentials credentials = options.credentials();
        return session.send(
                ref,
                call,
                new RegistrySession.CredentialLookup(
                        () -> credentials.forRepository(ref.registry(), ref.repository()),
                        credentials.searchedFiles()));
    }

    /** A 2xx passes; 429 and 5xx are worth another try; anything else is the caller's one line. */
    private static void ensureOk(ImageReference ref, HttpResponse<InputStream> response, String what)
            throws TransientFailure {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        if (Transport.isTransient(status)) {
            throw Transport.transientFailure(response);
        }
        throw RegistryException.of(ref, what + ": " + Transport.summary(response));
    }

    private static String manifestPath(ImageReference ref) {
        return ref.repository() + "/manifests/" + ref.reference();
    }

    private static Map<String, String> acceptManifests() {
        return Map.of("Accept", ManifestBody.ACCEPT);
    }
}
