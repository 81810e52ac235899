package org.jrunc.sys;

/** poll(2) on one descriptor, with a deadline that EINTR does not extend. */
public final class Poll {
    private Poll() {}

    /** True when {@code fd} is readable (data or end of file) within {@code timeoutMillis}; -1 waits forever. */
    public static boolean readable(int fd, int timeoutMillis) {
        PollSet set = new PollSet();
        set.add(fd, PollSet.POLLIN);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            int wait = timeoutMillis < 0 ? -1 : (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            // 0: the time ran out, or a signal interrupted the wait
            if (set.poll(wait) > 0) {
                return true;
            }
            if (timeoutMillis >= 0 && System.nanoTime() - deadline >= 0) {
                return false;
            }
        }
    }
}
