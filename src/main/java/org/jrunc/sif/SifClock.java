package org.jrunc.sif;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the writer takes timestamps from. SIF stores Unix seconds; {@link #UNSET} (Go's zero time) means "no time",
 * which deterministic images use everywhere so that the same input gives the same bytes.
 */
@FunctionalInterface
public interface SifClock {
    /** Go's {@code time.Time{}.Unix()}: tools treat it as "not set". */
    long UNSET = -62135596800L;

    long epochSeconds();

    static SifClock system() {
        return () -> Instant.now().getEpochSecond();
    }

    static SifClock fixed(Instant time) {
        long seconds = time.getEpochSecond();
        return () -> seconds;
    }

    static SifClock unset() {
        return () -> UNSET;
    }

    /** 9999-12-31T23:59:59Z: beyond it dates no longer print as four-digit years (and hostile values overflow). */
    long LAST_PRINTABLE = 253402300799L;

    /**
     * A stored timestamp as an Instant; empty when it is {@link #UNSET}, or outside years 1..9999 (only a corrupt or
     * hostile image has those, and they would overflow date arithmetic).
     */
    static Optional<Instant> instant(long epochSeconds) {
        if (epochSeconds <= UNSET || epochSeconds > LAST_PRINTABLE) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(epochSeconds));
    }
}
