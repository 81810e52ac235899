package org.jrunc.image.registry;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may pass if tried again (429, 5xx, a refused or reset connection, a stream cut short), with the
 * server's Retry-After if it said one. Checked, so that every caller decides where its retry loop is.
 */
final class TransientFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Optional<Duration> retryAfter;

    TransientFailure(String reason, Optional<Duration> retryAfter) {
        super(reason);
        this.retryAfter = retryAfter;
    }

    TransientFailure(String reason) {
        this(reason, Optional.empty());
    }

    String reason() {
        return getMessage();
    }

    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
