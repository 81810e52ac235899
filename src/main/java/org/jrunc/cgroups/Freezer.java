package org.jrunc.cgroups;

import org.jrunc.sys.KernelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jrunc.JruncException;

/**
 * pause and resume: the v1 freezer when it is mounted, else cgroup.freeze of the unified hierarchy (which works on this
 * project's hybrid hosts too). Plain file I/O.
 */
public final class Freezer {
    private Freezer() {
    }

    public static boolean isFrozen(Map<String, String> dirs) {
        return FreezerState.isFrozen(dirs);
    }

    public static void freeze(Map<String, String> dirs) {
        set(dirs, true);
    }

    public static void thaw(Map<String, String> dirs) {
        set(dirs, false);
    }

    private static void set(Map<String, String> dirs, boolean frozen) {
        String v1 = dirs.get("freezer");
        if (v1 != null) {
            Path state = Path.of(v1, "freezer.state");
            write(state, frozen ? "FROZEN" : "THAWED");
            if (frozen) {
                waitFor(state, "FROZEN");
            }
            return;
        }
        String v2 = dirs.get("unified");
        if (v2 == null) {
            throw new JruncException("the container has no freezer cgroup");
        }
        write(Path.of(v2, "cgroup.freeze"), frozen ? "1" : "0");
        if (frozen) {
            waitForEvent(Path.of(v2, "cgroup.events"));
        }
    }

    /** v1 reports FREEZING until every task has stopped. */
    private static void waitFor(Path state, String want) {
        for (int i = 0; i < 1000; i++) {
            try {
                if (KernelFiles.read(state).trim().equals(want)) {
                    return;
                }
                Thread.sleep(1);
            } catch (IOException e) {
                throw new JruncException("cannot read " + state + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new JruncException("the container's cgroup did not freeze in time");
    }

    /** v2 sets "frozen 1" in cgroup.events once every task has stopped. */
    private static void waitForEvent(Path events) {
        for (int i = 0; i < 1000; i++) {
            try {
                for (String line : KernelFiles.read(events).split("\n")) {
                    if (line.equals("frozen 1")) {
                        return;
                    }
                }
                Thread.sleep(1);
            } catch (IOException e) {
                throw new JruncException("cannot read " + events + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new JruncException("the container's cgroup did not freeze in time");
    }

    private static void write(Path file, String value) {
        try {
            KernelFiles.write(file, value);
        } catch (IOException e) {
            throw new JruncException("cannot write " + value + " to " + file + ": " + e.getMessage());
        }
    }

    public static boolean writeQuietly(Path file, String value) {
        try {
            KernelFiles.write(file, value);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
