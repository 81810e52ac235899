package org.jrunc;

/**
 * Thread.sleep for the polling loops (a cgroup emptying, a hook running, a mount going away, a loop device settling),
 * with the one way they all treat an interrupt: stop waiting, keep the thread's interrupt flag set, and let the caller
 * decide what an unfinished wait means. In the root package next to {@link JruncException} because every package, the
 * system-call bindings in {@code sys} included, polls somewhere and may import from here without importing upward.
 */
public final class Pause {
    private Pause() {}

    /** Sleeps {@code millis}; returns false, with the interrupt flag set again, if the thread was interrupted. */
    public static boolean millis(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
