package org.jrunc.image.registry;

import java.time.Clock;
import java.time.Duration;

/**
 * The clock tokens expire by, and how long the {@code /v2/} ping may take before the registry counts as not
 * answering on that scheme: a plain-HTTP server may wait forever for a line of the TLS ClientHello, so the https
 * probe needs a limit of its own (10 s, Go's TLS handshake timeout, which podman inherits). Tests shorten both.
 */
record ClientTiming(Clock clock, Duration pingTimeout) {
    static ClientTiming standard() {
        return new ClientTiming(Clock.systemUTC(), Duration.ofSeconds(10));
    }
}
