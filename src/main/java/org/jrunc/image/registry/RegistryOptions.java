package org.jrunc.image.registry;

import org.jrunc.Version;

/**
 * How a {@link RegistryClient} talks to registries. {@code tlsVerify} false allows plain HTTP and unverified TLS, as
 * podman's --tls-verify=false does; {@code parallelBlobs} is how many blobs the caller downloads at once.
 */
public record RegistryOptions(
        boolean tlsVerify, Credentials credentials, RetryPolicy retry, int parallelBlobs, String userAgent) {
    public static final int DEFAULT_PARALLEL_BLOBS = 3;

    public RegistryOptions {
        if (parallelBlobs < 1) {
            throw new IllegalArgumentException("parallelBlobs must be at least 1, not " + parallelBlobs);
        }
    }

    /** Verified TLS, the standard retries, podman's three parallel layer downloads. */
    public static RegistryOptions defaults(Credentials c) {
        return new RegistryOptions(true, c, RetryPolicy.standard(), DEFAULT_PARALLEL_BLOBS, "jrunc/" + Version.VERSION);
    }

    public RegistryOptions withTlsVerify(boolean verify) {
        return new RegistryOptions(verify, credentials, retry, parallelBlobs, userAgent);
    }

    public RegistryOptions withRetry(RetryPolicy policy) {
        return new RegistryOptions(tlsVerify, credentials, policy, parallelBlobs, userAgent);
    }
}
