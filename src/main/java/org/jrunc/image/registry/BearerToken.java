package org.jrunc.image.registry;

import java.time.Instant;

/** A token from a registry's token server and when it stops being valid. */
record BearerToken(String token, Instant expires) {
    boolean validAt(Instant now) {
        return now.isBefore(expires);
    }

    String authorization() {
        return "Bearer " + token;
    }
}
