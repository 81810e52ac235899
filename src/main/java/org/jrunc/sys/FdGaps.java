package org.jrunc.sys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The descriptor ranges above stderr that a spawned child must not inherit, given the ones it must keep. The JVM opens
 * files without O_CLOEXEC (a jar it reopens to load a class, for one), so marking everything CLOEXEC beforehand
 * cannot cover what another thread, or the class loading of the spawn itself, opens afterwards; the child closes the
 * gaps itself instead, right before it execs.
 */
public final class FdGaps {
    private FdGaps() {}

    /**
     * One range to close; {@code open} means "and everything above", for close_range's ~0U or closefrom.
     */
    public record Range(int first, int last, boolean open) {}

    public static List<Range> of(int[] keep) {
        // plain arrays, not streams: this runs on every spawn, and stream pipelines cost class loading there
        int[] sorted = keep.clone();
        Arrays.sort(sorted);
        List<Range> out = new ArrayList<>();
        int next = 3;
        for (int fd : sorted) {
            if (fd < next) {
                continue; // stdio, or a duplicate
            }
            if (fd > next) {
                out.add(new Range(next, fd - 1, false));
            }
            next = fd + 1;
        }
        out.add(new Range(next, Integer.MAX_VALUE, true));
        return out;
    }
}
