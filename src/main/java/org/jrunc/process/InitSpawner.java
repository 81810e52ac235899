package org.jrunc.process;

import static org.jrunc.sys.Flags.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.JruncException;
import org.jrunc.namespaces.NamespaceFiles;
import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.namespaces.NamespacePlan;
import org.jrunc.namespaces.Rootless;
import org.jrunc.sys.CloneFlags;
import org.jrunc.sys.MountFlags;
import org.jrunc.sys.PosixSpawn;
import org.jrunc.sys.Syscalls;

/**
 * Starts a process inside a container's namespaces without ever running Java in a forked copy of this JVM.
 *
 * <p>Two paths, chosen per request (measurements in docs/PROCESS-CREATION.md):
 * <ul>
 * <li><b>No new or joined user namespace</b>: a dedicated short-lived thread joins (setns) and creates (unshare) the
 *   namespaces - the kernel allows that per thread for every type but user - then posix_spawns the program. The child
 *   inherits the thread's namespaces (it is pid 1 of a new pid namespace) and runs only glibc's C code before execve:
 *   no hang is possible. The thread is discarded because after unshare(CLONE_NEWPID) it can no longer create threads.
 * <li><b>New or joined user namespace</b>: clone(2) from that same thread, with a child that only runs a prepared
 *   program of raw system calls and a watchdog on its execve: {@link WatchdogClone}.
 * </ul>
 * On both paths the child keeps only the descriptors the request passes ({@link InheritedFds}), and every other
 * namespace is joined or created on the thread before the spawn.
 */
public final class InitSpawner {
    /** Result: the pid, and how many clone attempts had to be killed and retried. */
    public record Spawned(int pid, int retries) {}

    /** The spawner of create, run and exec on this host: a new InitSpawner over the caller's system calls. */
    public static final Spawner ON_HOST = new OnHost();

    private final Syscalls sys;
    private final long watchdogMillis;

    public InitSpawner(Syscalls sys) {
        this(sys, Long.getLong("jrunc.cloneWatchdogMs", 10_000));
    }

    public InitSpawner(Syscalls sys, long watchdogMillis) {
        this.sys = sys;
        this.watchdogMillis = watchdogMillis;
    }

    public Spawned spawn(SpawnRequest req) {
        // nothing of this JVM's own (its jar, its libraries) may reach the child. The child closes whatever it is not
        // passed right before execve (FdGaps), which also covers files opened after this point; marking everything
        // CLOEXEC here as well keeps that true should a close step in the child fail. This JVM never execs itself.
        sys.closeRange(3, Integer.MAX_VALUE, CLOSE_RANGE_CLOEXEC);
        SpawnThread spawner = new SpawnThread(req);
        Thread t = new Thread(spawner, "jrunc-spawn");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while starting the container process");
        }
        Object r = spawner.result;
        if (r instanceof RuntimeException) {
            throw (RuntimeException) r;
        }
        if (r instanceof Error) {
            throw (Error) r;
        }
        return (Spawned) r;
    }

    /** {@link #ON_HOST}: a named class, not a method reference (create's path cannot be trained, see Training). */
    private static final class OnHost implements Spawner {
        @Override
        public Spawned spawn(Syscalls sys, SpawnRequest req) {
            return new InitSpawner(sys).spawn(req);
        }
    }

    /** The spawn's own thread (a named class, not a lambda: lambdas on this untrained path cost class spinning). */
    private final class SpawnThread implements Runnable {
        private final SpawnRequest req;
        /** The Spawned or the Throwable; read after join. */
        private Object result;

        SpawnThread(SpawnRequest req) {
            this.req = req;
        }

        @Override
        public void run() {
            try {
                result = spawnOnThisThread(req);
            } catch (Throwable e) {
                result = e;
            }
        }
    }

    private Spawned spawnOnThisThread(SpawnRequest req) {
        NamespacePlan ns = req.namespaces();
        Map<NamespaceKind, Integer> joinFds = openJoinFds(ns);
        try {
            boolean userns = ns.creates(NamespaceKind.USER) || ns.joins(NamespaceKind.USER);
            // setns needs CAP_SYS_ADMIN in this process's own user namespace too: an unprivileged caller has it only
            // in the joined one, so its child joins the rest after the user namespace (as runc's nsexec)
            boolean unprivileged = Rootless.ofSelf().euid() != 0;
            Map<NamespaceKind, Integer> joinedAfterUser = new LinkedHashMap<>();
            if (unprivileged && ns.joins(NamespaceKind.USER)) {
                for (Map.Entry<NamespaceKind, Integer> e : joinFds.entrySet()) {
                    if (e.getKey() != NamespaceKind.USER && e.getKey() != NamespaceKind.TIME) {
                        joinedAfterUser.put(e.getKey(), e.getValue());
                    }
                }
            } else {
                joinNonUser(joinFds);
            }
            if (!req.readonlyRuntime().isEmpty()) {
                // the child lands in a pid namespace others can see into: see SpawnFdTable
                List<String> roots = SpawnFdTable.realPaths(req.readonlyRuntime());
                if (unprivileged) {
                    refuseWritableRuntime(roots);
                } else {
                    protectRuntime(roots);
                }
                SpawnFdTable.isolate(sys, stillUsed(req, joinFds), roots);
            }
            // an unprivileged caller may create a cgroup namespace only in a user namespace of its own: the clone
            // makes it with the new user namespace, which then owns it (as runc's nsexec), and is born in the
            // container's cgroup, charging it the clone's copy of this JVM's page tables (WatchdogClone moves it
            // back before java starts). Root makes it on this thread instead, and the clone is born outside, so a
            // 1 MiB limit still holds the container (CgroupContract.tinyMemoryLimitsStillStartInAUserNamespace).
            // a skipped cgroup namespace is the init's to create (the systemd driver: its cgroup is made around it)
            boolean newCgroupNs =
                    ns.creates(NamespaceKind.CGROUP) && !req.skip().contains(NamespaceKind.CGROUP);
            boolean cgroupByClone = unprivileged && newCgroupNs && ns.creates(NamespaceKind.USER);
            if (newCgroupNs && !cgroupByClone) {
                unshareCgroupNamespaceAt(req.cgroupNamespaceRoot(), req.cgroupOrigin());
            }
            Set<NamespaceKind> except = EnumSet.of(NamespaceKind.USER);
            if (!cgroupByClone) {
                except.add(NamespaceKind.CGROUP);
            }
            except.addAll(req.skip());
            boolean timeOffsets = ns.creates(NamespaceKind.TIME)
                    && req.timeOffsets() != null
                    && !req.timeOffsets().isEmpty();
            if (!userns && !timeOffsets && !ns.joins(NamespaceKind.TIME)) {
                int flags = ns.createFlags(except);
                if (flags != 0) {
                    sys.unshare(flags);
                }
                return new Spawned(posixSpawn(req), 0);
            }
            // the namespaces are created by the clone itself, together with the user namespace, so that it owns them
            except.add(NamespaceKind.TIME);
            if (ns.creates(NamespaceKind.TIME) && !timeOffsets) {
                sys.unshare(CloneFlags.CLONE_NEWTIME);
            }
            WatchdogClone.CloneShape shape =
                    new WatchdogClone.CloneShape(ns, except, timeOffsets, joinFds, joinedAfterUser);
            if (!cgroupByClone) {
                return new WatchdogClone(sys, watchdogMillis).spawn(req, shape);
            }
            moveTo(req.cgroupNamespaceRoot());
            try {
                return new WatchdogClone(sys, watchdogMillis).spawn(req, shape);
            } finally {
                moveTo(req.cgroupOrigin());
            }
        } finally {
            for (int fd : joinFds.values()) {
                sys.close(fd);
            }
        }
    }

    /**
     * A cgroup namespace is rooted at the cgroup of the task that creates it, and it must be the container's. The
     * init (a JVM) must not sit in the container's cgroup while it works, or its memory would count against the
     * container's limit (a 4 MiB container could never start). So this process steps into the container's cgroup
     * just for the unshare, on this thread, and steps back out; the init inherits the namespace from this thread and
     * moves itself into the cgroup right before it execs.
     */
    private void unshareCgroupNamespaceAt(int[] root, int[] origin) {
        moveTo(root);
        try {
            sys.unshare(CloneFlags.CLONE_NEWCGROUP);
        } finally {
            moveTo(origin);
        }
    }

    /**
     * This process into the cgroups whose cgroup.procs descriptors are given (none: it stays where it is, as for a
     * rootless container without a cgroup, whose cgroup namespace is rooted at the caller's cgroup).
     */
    private void moveTo(int[] cgroupProcs) {
        byte[] self = "0".getBytes(StandardCharsets.US_ASCII);
        for (int fd : cgroupProcs) {
            sys.write(fd, self, 0, 1);
        }
    }

    /**
     * CVE-2019-5736: a process that joins a running container (the exec stage, a JVM) is visible there, and a container
     * process could open its /proc/PID/exe (the host's java) or jar descriptor and write to it once it is free. The
     * stage is therefore started in a mount namespace of its own where the JDK and jrunc's files are read-only bind
     * mounts: such a write fails with EROFS. The stage leaves this namespace for the container's mount namespace later.
     * The descriptors the child holds before it execs are made safe the same way, by {@link SpawnFdTable}.
     */
    private void protectRuntime(List<String> paths) {
        sys.unshare(CloneFlags.CLONE_NEWNS);
        sys.mount("", "/", "", MountFlags.MS_SLAVE | MountFlags.MS_REC, "");
        for (String p : paths) {
            sys.mount(p, p, "", MountFlags.MS_BIND | MountFlags.MS_REC, "");
            sys.mount("", p, "", MountFlags.MS_BIND | MountFlags.MS_REMOUNT | MountFlags.MS_RDONLY, "");
        }
    }

    /**
     * An unprivileged caller cannot make the read-only mount namespace of {@link #protectRuntime} (no CAP_SYS_ADMIN
     * in its own user namespace), and needs it only for files it can write itself: the container's processes run
     * as its uid or its subordinate ids, so a JDK and a jar it cannot write are as safe without it. A runtime it can
     * write is refused in one line naming the file.
     */
    private static void refuseWritableRuntime(List<String> roots) {
        for (String root : roots) {
            String writable = firstWritable(Path.of(root));
            if (writable != null) {
                throw new JruncException("exec as an unprivileged user: " + writable + " is writable by this user, "
                        + "so a process of the container could overwrite the runtime (CVE-2019-5736); install "
                        + "jrunc and its JDK where the user cannot write");
            }
        }
    }

    /** The first regular file under {@code root} this process may write (access(2) W_OK), or null. */
    private static String firstWritable(Path root) {
        WritableFinder finder = new WritableFinder();
        try {
            Files.walkFileTree(root, finder);
        } catch (IOException e) {
            throw new JruncException(
                    "cannot check the runtime's files under " + root + ": " + JruncException.reason(e));
        }
        return finder.found;
    }

    /** A named visitor (no lambdas on this untrained path). */
    private static final class WritableFinder extends SimpleFileVisitor<Path> {
        private String found;

        /** Files only: what the stage's /proc/PID/exe and descriptors can reach; a directory is not opened there. */
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            return attrs.isRegularFile() ? check(file) : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
        }

        private FileVisitResult check(Path p) {
            if (Files.isWritable(p)) {
                found = p.toString();
                return FileVisitResult.TERMINATE;
            }
            return FileVisitResult.CONTINUE;
        }
    }

    /** The descriptors this spawn passes on or still uses itself (plain loops: streams cost class loading here). */
    private static int[] stillUsed(SpawnRequest req, Map<NamespaceKind, Integer> joinFds) {
        int[][] parts = {req.passFds(), req.stdio(), req.cgroupNamespaceRoot(), req.cgroupOrigin(), new int[0]};
        parts[4] = new int[joinFds.size()];
        int n = 0;
        for (int fd : joinFds.values()) {
            parts[4][n++] = fd;
        }
        int[] out = new int[0];
        for (int[] part : parts) {
            if (part != null) {
                int at = out.length;
                out = Arrays.copyOf(out, at + part.length);
                System.arraycopy(part, 0, out, at, part.length);
            }
        }
        return out;
    }

    /** Opens every namespace to join before entering any, since the paths resolve in the current mount namespace. */
    private Map<NamespaceKind, Integer> openJoinFds(NamespacePlan ns) {
        Map<NamespaceKind, Integer> fds = new LinkedHashMap<>();
        try {
            for (Map.Entry<NamespaceKind, String> e : ns.joined().entrySet()) {
                fds.put(e.getKey(), NamespaceFiles.open(sys, e.getKey(), e.getValue()));
            }
        } catch (RuntimeException e) {
            fds.values().forEach(sys::close);
            throw e;
        }
        return fds;
    }

    private void joinNonUser(Map<NamespaceKind, Integer> fds) {
        for (Map.Entry<NamespaceKind, Integer> e : fds.entrySet()) {
            NamespaceKind kind = e.getKey();
            if (kind == NamespaceKind.USER || kind == NamespaceKind.MOUNT) {
                continue;
            }
            sys.setns(e.getValue(), kind.flag());
        }
        Integer mnt = fds.get(NamespaceKind.MOUNT);
        if (mnt != null) {
            // setns into a mount namespace needs a private fs_struct; unsharing it affects this thread only
            sys.unshare(CloneFlags.CLONE_FS);
            sys.setns(mnt, CloneFlags.CLONE_NEWNS);
        }
    }

    private int posixSpawn(SpawnRequest req) {
        PosixSpawn spawn = new PosixSpawn(req.argv()[0], req.argv(), req.envp()).setsid(true);
        if (req.stdio() != null) {
            for (int target = 0; target < 3; target++) {
                spawn.dup(req.stdio()[target], target);
            }
        }
        spawn.keepOnly(req.passFds());
        return InheritedFds.around(sys, req.passFds(), spawn);
    }
}
