package org.jrunc.image.registry;

import java.time.Duration;
import org.jrunc.Pause;

/** Runs an attempt again after a {@link TransientFailure}, as the {@link RetryPolicy} says, then gives up in one line. */
final class Retrier {
    interface Attempt<T> {
        T run() throws TransientFailure;
    }

    private final RetryPolicy policy;

    Retrier(RetryPolicy policy) {
        this.policy = policy;
    }

    /** {@code what} completes "docker://REF: ... failed after N attempts: reason", e.g. "fetching the manifest". */
    <T> T run(ImageReference ref, String what, Attempt<T> attempt) {
        for (int tries = 1; ; tries++) {
            try {
                return attempt.run();
            } catch (TransientFailure f) {
                if (tries >= policy.attempts()) {
                    throw RegistryException.of(
                            ref,
                            what + " failed" + (tries > 1 ? " after " + tries + " attempts" : "") + ": " + f.reason(),
                            f);
                }
                Duration delay = policy.delayAfter(tries, f.retryAfter());
                if (!Pause.millis(delay.toMillis())) {
                    throw RegistryException.of(ref, what + " was interrupted");
                }
            }
        }
    }
}
