package org.jrunc.cgroups;

import java.util.Map;

/**
 * Counts OOM kills in a container's memory cgroup, for `events`: v1's memory.oom_control and v2's memory.events both
 * have an "oom_kill N" line (kernel 4.13+). An events loop polls {@link #poll()} and emits one
 * {@code {"type":"oom","id":...}} per new kill.
 */
public final class OomCounter {
    private final ControlFiles io;
    private final String dir;
    private final String file;
    private long last;

    private OomCounter(ControlFiles io, String dir, String file) {
        this.io = io;
        this.dir = dir;
        this.file = file;
        long now = readCount();
        this.last = Math.max(now, 0);
    }

    /** A counter for the cgroup with these directories; kills before this call are not reported by poll. */
    public static OomCounter watch(Map<String, String> dirs) {
        return watch(dirs, KernelCgroupFiles.checked());
    }

    public static OomCounter watch(Map<String, String> dirs, CgroupFiles files) {
        ControllerPlacement.Target t =
                ControllerPlacement.forReading(dirs, files).of(Controller.MEMORY);
        if (t == null) {
            return new OomCounter(new ControlFiles(files), null, null);
        }
        return new OomCounter(new ControlFiles(files), t.dir(), t.v2() ? "memory.events" : "memory.oom_control");
    }

    /** The total number of OOM kills so far, or -1 when it cannot be read (no memory controller, cgroup gone). */
    public long count() {
        return readCount();
    }

    private long readCount() {
        if (dir == null) {
            return -1;
        }
        if (!io.has(dir, file)) {
            return -1;
        }
        Long n = io.keyValues(dir, file).get("oom_kill");
        return n == null ? -1 : n;
    }

    /**
     * How many OOM kills happened since the last call (or since {@link #watch}); -1 once the count cannot be read any
     * more, which for a watched container means its cgroup is gone and the loop should end.
     */
    public long poll() {
        long now = readCount();
        if (now < 0) {
            return -1;
        }
        long fresh = Math.max(0, now - last);
        last = now;
        return fresh;
    }

    /** The `events` line for one OOM kill: {"type":"oom","id":id}. */
    public static Map<String, Object> event(String id) {
        return CgroupStats.event("oom", id, null);
    }
}
