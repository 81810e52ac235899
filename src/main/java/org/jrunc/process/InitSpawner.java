package org.jrunc.process;

import static org.jrunc.sys.Flags.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jrunc.JruncException;
import org.jrunc.config.IdMapping;
import org.jrunc.config.TimeOffset;
import org.jrunc.sys.ForkChain;
import org.jrunc.sys.CloneFlags;
import org.jrunc.sys.KernelFiles;
import org.jrunc.sys.MountFlags;
import org.jrunc.sys.Poll;
import org.jrunc.sys.PosixSpawn;
import org.jrunc.sys.SyscallException;
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
 *   program of raw system calls (read the go-ahead, become root in the namespace, execve). A watchdog pipe (CLOEXEC,
 *   so it reads EOF at the child's execve) bounds how long the child may take; a child that has not exec'ed in time is
 *   killed and the clone retried, and the retries are counted.
 * </ul>
 */
public final class InitSpawner {
    /** Result: the pid, and how many clone attempts had to be killed and retried. */
    public record Spawned(int pid, int retries) {
    }

    private static final int MAX_ATTEMPTS = 8;
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
        // nothing of this JVM's own (its jar, its libraries) may reach the child: every descriptor is made CLOEXEC,
        // and only the ones to pass are cleared for the spawn. This JVM never execs itself, so that costs it nothing.
        sys.closeRange(3, Integer.MAX_VALUE, CLOSE_RANGE_CLOEXEC);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(spawnOnThisThread(req));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "jrunc-spawn");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while starting the container process");
        }
        Object r = result.get();
        if (r instanceof RuntimeException) {
            throw (RuntimeException) r;
        }
        if (r instanceof Error) {
            throw (Error) r;
        }
        return (Spawned) r;
    }

    private Spawned spawnOnThisThread(SpawnRequest req) {
        NamespacePlan ns = req.namespaces();
        Map<NamespaceKind, Integer> joinFds = openJoinFds(ns);
        try {
            boolean userns = ns.creates(NamespaceKind.USER) || ns.joins(NamespaceKind.USER);
            joinNonUser(joinFds);
            if (!req.readonlyRuntime().isEmpty()) {
                protectRuntime(req.readonlyRuntime());
            }
            if (ns.creates(NamespaceKind.CGROUP)) {
                unshareCgroupNamespaceAt(req.cgroupNamespaceRoot(), req.cgroupOrigin());
            }
            Set<NamespaceKind> except = EnumSet.of(NamespaceKind.USER, NamespaceKind.CGROUP);
            except.addAll(req.skip());
            boolean timeOffsets = ns.creates(NamespaceKind.TIME) && req.timeOffsets() != null
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
            CloneShape shape = new CloneShape(ns, except, timeOffsets, joinFds);
            return cloneWithWatchdog(req, shape);
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
        byte[] self = "0".getBytes(StandardCharsets.US_ASCII);
        for (int fd : root) {
            sys.write(fd, self, 0, 1);
        }
        try {
            sys.unshare(CloneFlags.CLONE_NEWCGROUP);
        } finally {
            for (int fd : origin) {
                sys.write(fd, self, 0, 1);
            }
        }
    }

    /**
     * CVE-2019-5736: a process that joins a running container (the exec stage, a JVM) is visible there, and a container
     * process could open its /proc/PID/exe (the host's java) or jar descriptor and write to it once it is free. The
     * stage is therefore started in a mount namespace of its own where the JDK and jrunc's files are read-only bind
     * mounts: such a write fails with EROFS. The stage leaves this namespace for the container's mount namespace later.
     */
    private void protectRuntime(List<String> paths) {
        sys.unshare(CloneFlags.CLONE_NEWNS);
        sys.mount("", "/", "", MountFlags.MS_SLAVE | MountFlags.MS_REC, "");
        for (String p : paths) {
            sys.mount(p, p, "", MountFlags.MS_BIND | MountFlags.MS_REC, "");
            sys.mount("", p, "", MountFlags.MS_BIND | MountFlags.MS_REMOUNT | MountFlags.MS_RDONLY, "");
        }
    }

    /** Opens every namespace to join before entering any, since the paths resolve in the current mount namespace. */
    private Map<NamespaceKind, Integer> openJoinFds(NamespacePlan ns) {
        Map<NamespaceKind, Integer> fds = new LinkedHashMap<>();
        for (Map.Entry<NamespaceKind, String> e : ns.joined().entrySet()) {
            int fd;
            try {
                fd = sys.open(e.getValue(), O_RDONLY, 0);
            } catch (SyscallException ex) {
                fds.values().forEach(sys::close);
                throw new JruncException("linux.namespaces " + e.getKey().specName() + " path " + e.getValue() + ": "
                        + ex.getMessage().replaceFirst("^open \\S+: ", ""));
            }
            fds.put(e.getKey(), fd);
            int actual;
            try {
                actual = sys.ioctl(fd, NS_GET_NSTYPE, 0);
            } catch (SyscallException ex) {
                fds.values().forEach(sys::close);
                throw new JruncException("linux.namespaces " + e.getKey().specName() + " path " + e.getValue()
                        + " is not a namespace file");
            }
            if (actual != e.getKey().flag()) {
                fds.values().forEach(sys::close);
                throw new JruncException("linux.namespaces " + e.getKey().specName() + " path " + e.getValue()
                        + " is not a " + e.getKey().specName() + " namespace");
            }
        }
        return fds;
    }

    private static final long NS_GET_NSTYPE = 0xb703;

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

    /** /proc/PID/timens_offsets of a single-threaded child that has unshared its time namespace. */
    private void writeTimeOffsets(int pid, Map<String, TimeOffset> offsets) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, TimeOffset> e : offsets.entrySet()) {
            TimeOffset o = e.getValue();
            b.append(e.getKey()).append(' ').append(o.secs() == null ? 0 : o.secs()).append(' ')
                    .append(o.nanosecs() == null ? 0 : o.nanosecs()).append('\n');
        }
        try {
            KernelFiles.write(Path.of("/proc/" + pid + "/timens_offsets"), b.toString());
        } catch (IOException e) {
            throw new JruncException("linux.timeOffsets: " + e.getMessage());
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
        return withFdsInherited(req.passFds(), spawn::start);
    }

    /**
     * What the cloned child does. With time offsets it must unshare the time namespace itself (only a
     * single-threaded process can have /proc/PID/timens_offsets written for it) and then clone once more with
     * CLONE_PARENT, so that the init - created after the offsets are set - is in the new time namespace and is pid 1
     * of the new pid namespace. The runtime learns that second pid from the init's first message.
     */
    private record CloneShape(int firstFlags, int siblingFlags, boolean viaSibling, boolean userns, boolean newUser,
                              int usernsFd, int timensFd) {
        CloneShape(NamespacePlan ns, Set<NamespaceKind> except, boolean timeOffsets, Map<NamespaceKind, Integer> fds) {
            this(firstFlags(ns, except, timeOffsets), timeOffsets && ns.creates(NamespaceKind.PID)
                            ? CloneFlags.CLONE_NEWPID : 0, timeOffsets,
                    ns.creates(NamespaceKind.USER) || ns.joins(NamespaceKind.USER), ns.creates(NamespaceKind.USER),
                    fds.getOrDefault(NamespaceKind.USER, -1), fds.getOrDefault(NamespaceKind.TIME, -1));
        }

        private static int firstFlags(NamespacePlan ns, Set<NamespaceKind> except, boolean timeOffsets) {
            Set<NamespaceKind> skip = EnumSet.copyOf(except);
            if (timeOffsets) {
                skip.add(NamespaceKind.PID);
            }
            return ns.createFlags(skip) | (ns.creates(NamespaceKind.USER) ? CloneFlags.CLONE_NEWUSER : 0);
        }
    }

    private Spawned cloneWithWatchdog(SpawnRequest req, CloneShape shape) {
        int retries = 0;
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            int[] go = sys.pipe2(O_CLOEXEC);
            int[] execWatch = sys.pipe2(O_CLOEXEC);
            int[] ready = shape.viaSibling() ? sys.pipe2(O_CLOEXEC) : null;
            ForkChain sibling = shape.viaSibling() ? execChain(new ForkChain(), req) : null;
            ForkChain child = chain(req, shape, go[0], ready == null ? -1 : ready[1], sibling);
            long pid = withFdsInherited(req.passFds(), () -> (int) child.start(shape.firstFlags(), sibling));
            sys.close(go[0]);
            sys.close(execWatch[1]);
            if (ready != null) {
                sys.close(ready[1]);
            }
            Outcome outcome;
            try {
                if (pid < 0) {
                    throw new SyscallException("clone", "for the container init", (int) -pid);
                }
                outcome = releaseChild(req, shape, (int) pid, go[1], ready == null ? -1 : ready[0]);
                if (outcome == null) {
                    outcome = awaitExec(execWatch[0], (int) pid, shape.viaSibling());
                }
            } catch (RuntimeException e) {
                if (pid > 0) {
                    killAndReap((int) pid);
                }
                throw e;
            } finally {
                sys.close(go[1]);
                sys.close(execWatch[0]);
                if (ready != null) {
                    sys.close(ready[0]);
                }
            }
            if (outcome == Outcome.EXECED) {
                return new Spawned(shape.viaSibling() ? -1 : (int) pid, retries);
            }
            if (outcome == Outcome.DIED) {
                throw new JruncException("the container init failed before exec (" + lastExit + ")");
            }
            // not expected any more (the child runs no Java), but a stuck child must never stall a create
            String where = describeStuck((int) pid);
            killAndReap((int) pid);
            killOtherChildren();
            retries++;
            failures.add("attempt " + attempt + " did not exec within " + watchdogMillis + " ms (" + where + ")");
            org.jrunc.log.Log.debug("spawn retry: child " + pid + " stuck: " + where);
        }
        throw new JruncException("could not start the container init: " + String.join("; ", failures));
    }

    /**
     * The child's steps: join a user or time namespace, (with time offsets: unshare the time namespace and tell the
     * parent, which writes the offsets), wait for the go-ahead (the id maps are written by then), become root in the
     * user namespace, then exec - directly, or through a sibling clone that enters the new pid and time namespaces.
     */
    private static ForkChain chain(SpawnRequest req, CloneShape shape, int goFd, int readyFd, ForkChain sibling) {
        ForkChain c = new ForkChain();
        if (shape.usernsFd() >= 0) {
            c.setns(shape.usernsFd(), CloneFlags.CLONE_NEWUSER);
        }
        if (shape.timensFd() >= 0) {
            c.setns(shape.timensFd(), CloneFlags.CLONE_NEWTIME);
        }
        if (shape.viaSibling()) {
            c.unshare(CloneFlags.CLONE_NEWTIME).writeByte(readyFd);
        }
        c.readByte(goFd);
        if (shape.userns()) {
            c.becomeRoot();
        }
        if (shape.viaSibling()) {
            return c.cloneSibling(shape.siblingFlags(), sibling).exit(0);
        }
        return execChain(c, req);
    }

    private static ForkChain execChain(ForkChain c, SpawnRequest req) {
        if (req.stdio() != null) {
            for (int target = 0; target < 3; target++) {
                c.dup3(req.stdio()[target], target);
            }
        }
        return c.setsid().keepOnlyFds(req.passFds()).execve(req.argv()[0], req.argv(), req.envp());
    }

    /** The parent's part between the clone and the go-ahead: time offsets, id maps. Null when all went well. */
    private Outcome releaseChild(SpawnRequest req, CloneShape shape, int pid, int goFd, int readyFd) {
        if (shape.viaSibling()) {
            if (!Poll.readable(readyFd, (int) watchdogMillis)) {
                return Outcome.HUNG;
            }
            writeTimeOffsets(pid, req.timeOffsets());
        }
        if (shape.newUser()) {
            IdMaps.write(pid, req.uidMappings(), req.gidMappings());
        }
        sys.write(goFd, new byte[] {1}, 0, 1);
        return null;
    }

    /** A hung second-generation child (see {@link CloneShape}) is this thread's child too; find it by that. */
    private void killOtherChildren() {
        String children = KernelFiles.readOrNull(Path.of("/proc/self/task/" + sys.gettid() + "/children"));
        if (children == null) {
            return;
        }
        for (String p : children.trim().split("\\s+")) {
            if (!p.isEmpty()) {
                killAndReap(Integer.parseInt(p));
            }
        }
    }

    private static NamespacePlan ns(SpawnRequest req) {
        return req.namespaces();
    }

    private enum Outcome { EXECED, DIED, HUNG }

    private String lastExit = "";

    /**
     * EOF on the watch pipe means the child exec'ed (or died): tell the two apart with waitpid. With a sibling clone
     * the first child is expected to have exited 0 once the second one runs.
     */
    private Outcome awaitExec(int watchFd, int pid, boolean viaSibling) {
        if (!Poll.readable(watchFd, (int) watchdogMillis)) {
            return Outcome.HUNG;
        }
        if (viaSibling) {
            // the first child has done its part once the second one runs; reap it
            int status = sys.waitpid(pid, 0)[1];
            if (status == 0) {
                return Outcome.EXECED;
            }
            lastExit = (status & 0x7f) == 0 ? describeChildExit((status >> 8) & 0xff) : "signal " + (status & 0x7f);
            return Outcome.DIED;
        }
        // a direct child may have exec'ed and already finished (a quick program): look without reaping, because its
        // status belongs to whoever waits for the container; only _exit(123) means execve failed
        int[] exit = sys.peekExit(pid);
        if (exit == null || exit[1] != 0 || exit[0] != 123) {
            return Outcome.EXECED;
        }
        sys.waitpid(pid, 0);
        lastExit = describeChildExit(exit[0]);
        return Outcome.DIED;
    }

    private static String describeChildExit(int code) {
        return code == 123 ? "execve of the init failed" : "exit status " + code;
    }

    /** Where a stuck child is, from /proc, for the retry log. */
    private static String describeStuck(int pid) {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("wchan", "syscall", "stack")) {
            String v = KernelFiles.readOrNull(Path.of("/proc/" + pid + "/" + f));
            b.append(f).append('=').append(v == null ? "?" : v.trim().replace('\n', '|')).append(' ');
        }
        String stat = KernelFiles.readOrNull(Path.of("/proc/" + pid + "/stat"));
        b.append("stat=").append(stat == null ? "?" : stat.trim());
        return b.toString();
    }

    private void killAndReap(int pid) {
        try {
            sys.kill(pid, 9);
        } catch (SyscallException e) {
            // already gone
        }
        try {
            sys.waitpid(pid, 0);
        } catch (SyscallException e) {
            // reaped elsewhere
        }
    }

    private interface IntSupplier {
        int get();
    }

    /** Clears FD_CLOEXEC on the descriptors to pass for the duration of the spawn, then restores it. */
    private int withFdsInherited(int[] fds, IntSupplier spawn) {
        for (int fd : fds) {
            sys.fcntl(fd, F_SETFD, 0);
        }
        try {
            return spawn.get();
        } finally {
            for (int fd : fds) {
                sys.fcntl(fd, F_SETFD, FD_CLOEXEC);
            }
        }
    }

    /** Writes /proc/PID/uid_map and gid_map, each in the single write(2) the kernel requires. */
    static final class IdMaps {
        private IdMaps() {
        }

        static void write(int pid, List<IdMapping> uids, List<IdMapping> gids) {
            writeMap(pid, "uid_map", uids);
            writeMap(pid, "gid_map", gids);
        }

        private static void writeMap(int pid, String file, List<IdMapping> map) {
            if (map == null || map.isEmpty()) {
                throw new JruncException("a new user namespace needs linux.uidMappings and linux.gidMappings");
            }
            StringBuilder b = new StringBuilder();
            for (IdMapping m : map) {
                b.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
            }
            try {
                Files.write(Path.of("/proc/" + pid + "/" + file), b.toString().getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new JruncException("writing " + file + " (" + b.toString().trim().replace('\n', ',') + "): "
                        + e.getMessage());
            }
        }
    }
}
