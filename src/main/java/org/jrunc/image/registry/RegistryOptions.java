package org.jrunc.image.registry;

import org.jrunc.Version;

/**
 * How a {@link RegistryClient} talks to registries. {@code tlsVerify} false allows plain HTTP and unverified TLS, as
 * podman's --tls-verify=false does. How many blobs download at once is the caller's choice (the client is
 * thread-safe).
 */
public record RegistryOptions(boolean tlsVerify, Credentials credentials, RetryPolicy retry, String userAgent) {

    /** Verified TLS and the standard retries. */
    public static RegistryOptions defaults(Credentials c) {
        return new RegistryOptions(true, c, RetryPolicy.standard(), "jrunc/" + Version.VERSION);
    }

    public RegistryOptions withTlsVerify(boolean verify) {
        return new RegistryOptions(verify, credentials, retry, userAgent);
    }

    public RegistryOptions withRetry(RetryPolicy policy) {
        return new RegistryOptions(tlsVerify, credentials, policy, userAgent);
    }
}
