package org.jrunc.image.registry;

import java.time.Duration;
import java.util.Optional;

/**
 * How often a transient failure (429, 5xx, a reset connection, a stream cut mid-blob) is tried again: up to
 * {@code attempts} tries in all, waiting {@code firstDelay}, then twice as long each time, never more than
 * {@code maxDelay}, which also caps a server's Retry-After.
 */
public record RetryPolicy(int attempts, Duration firstDelay, Duration maxDelay) {
    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
        if (firstDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("retry delays must not be negative");
        }
    }

    /** podman's default of three retries, starting at one second as containers/common's retry does. */
    public static RetryPolicy standard() {
        return new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** The wait before try {@code failedTries + 1}; {@code retryAfter} is the server's wish, if it said one. */
    Duration delayAfter(int failedTries, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return min(retryAfter.get(), maxDelay);
        }
        Duration delay = firstDelay;
        for (int i = 1; i < failedTries && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return min(delay, maxDelay);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
