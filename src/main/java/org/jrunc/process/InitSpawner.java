package org.jrunc.process;

import org.jrunc.sys.KernelFiles;
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
import org.jrunc.sys.ClonedChild;
import org.jrunc.sys.CloneFlags;
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
        this(sys, Long.getLong("jrunc.cloneWatchdogMs", 2000));
    }

    public InitSpawner(Syscalls sys, long watchdogMillis) {
        this.sys = sys;
        this.watchdogMillis = watchdogMillis;
    }

    public Spawned spawn(SpawnRequest req) {
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
            Set<NamespaceKind> except = EnumSet.of(NamespaceKind.USER, NamespaceKind.CGROUP);
            except.addAll(req.skip());
            if (!userns) {
                int flags = ns.createFlags(except);
                if (flags != 0) {
                    sys.unshare(flags);
                }
                writeTimeOffsets(req.timeOffsets(), ns);
                return new Spawned(posixSpawn(req), 0);
            }
            // namespaces must be created together with the user namespace so that it owns them; time is the
            // exception because its offsets can only be written before any process is inside it
            if (ns.creates(NamespaceKind.TIME)) {
                sys.unshare(CloneFlags.CLONE_NEWTIME);
                writeTimeOffsets(req.timeOffsets(), ns);
            }
            except.add(NamespaceKind.TIME);
            int flags = ns.createFlags(except) | (ns.creates(NamespaceKind.USER) ? CloneFlags.CLONE_NEWUSER : 0);
            return cloneWithWatchdog(req, flags, joinFds.getOrDefault(NamespaceKind.USER, -1));
        } finally {
            for (int fd : joinFds.values()) {
                sys.close(fd);
            }
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

    private void writeTimeOffsets(Map<String, TimeOffset> offsets, NamespacePlan ns) {
        if (!ns.creates(NamespaceKind.TIME) || offsets == null || offsets.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, TimeOffset> e : offsets.entrySet()) {
            TimeOffset o = e.getValue();
            b.append(e.getKey()).append(' ').append(o.secs() == null ? 0 : o.secs()).append(' ')
                    .append(o.nanosecs() == null ? 0 : o.nanosecs()).append('\n');
        }
        try {
            KernelFiles.write(Path.of("/proc/thread-self/timens_offsets"), b.toString());
        } catch (IOException e) {
            throw new JruncException("linux.timeOffsets: " + e.getMessage());
        }
    }

    private int posixSpawn(SpawnRequest req) {
        return withFdsInherited(req.passFds(), () -> new PosixSpawn(req.argv()[0], req.argv(), req.envp())
                .setsid(true).start());
    }

    private Spawned cloneWithWatchdog(SpawnRequest req, int flags, int usernsFd) {
        ClonedChild.warmUp();
        int retries = 0;
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            int[] go = sys.pipe2(O_CLOEXEC);
            int[] execWatch = sys.pipe2(O_CLOEXEC);
            ClonedChild.Builder program = new ClonedChild.Builder();
            if (usernsFd >= 0) {
                program.setns(usernsFd, CloneFlags.CLONE_NEWUSER, 120);
            }
            program.readByte(go[0], 121).becomeRoot(122).setsid()
                    .execve(req.argv()[0], req.argv(), req.envp(), 123);
            ClonedChild.Program built = program.build();
            long pid = withFdsInherited(req.passFds(), () -> (int) ClonedChild.start(flags, built));
            sys.close(go[0]);
            sys.close(execWatch[1]);
            if (pid < 0) {
                sys.close(go[1]);
                sys.close(execWatch[0]);
                throw new SyscallException("clone", "for the container init", (int) -pid);
            }
            try {
                if (ns(req).creates(NamespaceKind.USER)) {
                    IdMaps.write((int) pid, req.uidMappings(), req.gidMappings());
                }
                sys.write(go[1], new byte[] {1}, 0, 1);
            } catch (RuntimeException e) {
                killAndReap((int) pid);
                sys.close(go[1]);
                sys.close(execWatch[0]);
                throw e;
            }
            sys.close(go[1]);
            Outcome outcome = awaitExec(execWatch[0], (int) pid);
            sys.close(execWatch[0]);
            if (outcome == Outcome.EXECED) {
                return new Spawned((int) pid, retries);
            }
            if (outcome == Outcome.DIED) {
                throw new JruncException("the container init failed before exec (" + lastExit + ")");
            }
            killAndReap((int) pid);
            retries++;
            failures.add("attempt " + attempt + " did not exec within " + watchdogMillis + " ms");
        }
        throw new JruncException("could not start the container init: " + String.join("; ", failures));
    }

    private static NamespacePlan ns(SpawnRequest req) {
        return req.namespaces();
    }

    private enum Outcome { EXECED, DIED, HUNG }

    private String lastExit = "";

    /** EOF on the watch pipe means the child exec'ed (or died): tell the two apart with waitpid. */
    private Outcome awaitExec(int watchFd, int pid) {
        if (!Poll.readable(watchFd, (int) watchdogMillis)) {
            return Outcome.HUNG;
        }
        int[] w = sys.waitpid(pid, WNOHANG);
        if (w[0] == pid) {
            int status = w[1];
            lastExit = (status & 0x7f) == 0 ? describeChildExit((status >> 8) & 0xff) : "signal " + (status & 0x7f);
            return Outcome.DIED;
        }
        return Outcome.EXECED;
    }

    private static String describeChildExit(int code) {
        switch (code) {
            case 120:
                return "setns into the user namespace failed";
            case 121:
                return "the runtime went away before the id maps were written";
            case 122:
                return "becoming root in the user namespace failed: are uid 0 and gid 0 mapped?";
            case 123:
                return "execve of the init failed";
            default:
                return "exit status " + code;
        }
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
