package org.jrunc.process;

import static org.jrunc.sys.Flags.O_CLOEXEC;
import static org.jrunc.sys.Flags.O_RDONLY;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.sys.CloneFlags;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * The descriptor table a spawned child copies, made safe to be seen.
 *
 * <p>A child spawned into an existing pid namespace (exec, or create with a joined pid namespace) is visible there from
 * the moment of clone, and until its own close steps and execve run it holds a copy of the spawning thread's
 * descriptor table. A container process scanning /proc can open /proc/PID/fd/N of it in that window and get what this
 * JVM holds: its jar and the JDK opened through writable host mounts (CVE-2019-5736, seen in CI as "jar-writable"), or a
 * host directory (CVE-2024-21626). So the spawning thread first gives itself a private table (unshare(CLONE_FILES)
 * affects this thread only: the rest of the JVM keeps its descriptors), closes there everything the child is not
 * passed, and replaces each of the runtime's own files with the same file opened through the read-only bind mounts of
 * the thread's mount namespace ({@link InitSpawner}), so that a class this thread still loads reads the same bytes.
 */
final class SpawnFdTable {
    /** What becomes of one descriptor of the private table. */
    enum Fate {
        KEEP,
        REOPEN_READ_ONLY,
        CLOSE
    }

    private SpawnFdTable() {}

    /**
     * @param keep descriptors the spawn still uses (passed on, or used by this thread before the child execs)
     * @param runtimeRoots the read-only bind-mounted paths, as the kernel names them (no symlinks)
     */
    static void isolate(Syscalls sys, int[] keep, List<String> runtimeRoots) {
        sys.unshare(CloneFlags.CLONE_FILES);
        for (int fd : openDescriptors()) {
            String target;
            try {
                target = sys.readlinkat(-100, "/proc/thread-self/fd/" + fd);
            } catch (SyscallException gone) {
                continue; // the directory listing's own descriptor, closed since
            }
            switch (fate(fd, target, keep, runtimeRoots)) {
                case KEEP -> {}
                case REOPEN_READ_ONLY -> reopenReadOnly(sys, fd, target);
                case CLOSE -> sys.close(fd);
            }
        }
    }

    static Fate fate(int fd, String target, int[] keep, List<String> runtimeRoots) {
        if (fd <= 2) {
            return Fate.KEEP;
        }
        for (int k : keep) {
            if (k == fd) {
                return Fate.KEEP;
            }
        }
        if (target.startsWith("/") && !target.endsWith(" (deleted)")) {
            for (String root : runtimeRoots) {
                if (target.startsWith(root.endsWith("/") ? root : root + "/")) {
                    return Fate.REOPEN_READ_ONLY;
                }
            }
        }
        return Fate.CLOSE;
    }

    /** The runtime roots with symlinks resolved, the way /proc names the files under them. */
    static List<String> realPaths(List<String> roots) {
        List<String> out = new ArrayList<>();
        for (String root : roots) {
            try {
                out.add(Path.of(root).toRealPath().toString());
            } catch (IOException e) {
                out.add(root);
            }
        }
        return out;
    }

    private static int[] openDescriptors() {
        String[] names = new File("/proc/thread-self/fd").list();
        if (names == null) {
            throw new JruncException("cannot list /proc/thread-self/fd");
        }
        int[] fds = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            fds[i] = Integer.parseInt(names[i]);
        }
        return fds;
    }

    /** The same inode through this namespace's read-only mount, or closed when that cannot be had. */
    private static void reopenReadOnly(Syscalls sys, int fd, String path) {
        int copy;
        try {
            copy = sys.open(path, O_RDONLY | O_CLOEXEC, 0);
        } catch (SyscallException e) {
            sys.close(fd);
            return;
        }
        try {
            FileStat was = sys.fstat(fd);
            FileStat now = sys.fstat(copy);
            if (was.ino() == now.ino() && was.devMajor() == now.devMajor() && was.devMinor() == now.devMinor()) {
                sys.dup3(copy, fd, O_CLOEXEC);
            } else {
                sys.close(fd);
            }
        } finally {
            sys.close(copy);
        }
    }
}
