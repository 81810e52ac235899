package org.jrunc.process;

import static org.jrunc.sys.Flags.O_CLOEXEC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.JruncException;
import org.jrunc.config.TimeOffset;
import org.jrunc.log.Log;
import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.namespaces.NamespacePlan;
import org.jrunc.sys.CloneFlags;
import org.jrunc.sys.ForkChain;
import org.jrunc.sys.KernelFiles;
import org.jrunc.sys.Poll;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.WaitStatus;

/**
 * {@link InitSpawner}'s path for a new or joined user namespace, which unshare cannot give a multithreaded process:
 * clone(2) with a child that runs only a prepared chain of raw system calls ({@link ForkChain}: no Java), released by
 * the parent once the id maps (and time offsets) are written. A watchdog pipe (CLOEXEC, so it reads EOF at the
 * child's execve) bounds how long the child may take; a child that has not exec'ed in time is killed and the clone
 * retried, and the retries are counted.
 */
final class WatchdogClone {
    private static final int MAX_ATTEMPTS = 8;
    private final Syscalls sys;
    private final long watchdogMillis;
    private String lastExit = "";

    WatchdogClone(Syscalls sys, long watchdogMillis) {
        this.sys = sys;
        this.watchdogMillis = watchdogMillis;
    }

    /** /proc/PID/timens_offsets of a single-threaded child that has unshared its time namespace. */
    private void writeTimeOffsets(int pid, Map<String, TimeOffset> offsets) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, TimeOffset> e : offsets.entrySet()) {
            TimeOffset o = e.getValue();
            b.append(e.getKey())
                    .append(' ')
                    .append(o.secs() == null ? 0 : o.secs())
                    .append(' ')
                    .append(o.nanosecs() == null ? 0 : o.nanosecs())
                    .append('\n');
        }
        try {
            KernelFiles.write(Path.of("/proc/" + pid + "/timens_offsets"), b.toString());
        } catch (IOException e) {
            throw new JruncException("linux.timeOffsets: " + e.getMessage());
        }
    }

    /**
     * What the cloned child does. With time offsets it must unshare the time namespace itself (only a
     * single-threaded process can have /proc/PID/timens_offsets written for it) and then clone once more with
     * CLONE_PARENT, so that the init - created after the offsets are set - is in the new time namespace and is pid 1
     * of the new pid namespace. The runtime learns that second pid from the init's first message.
     */
    record CloneShape(
            int firstFlags,
            int siblingFlags,
            boolean viaSibling,
            boolean userns,
            boolean newUser,
            int usernsFd,
            int timensFd,
            Map<NamespaceKind, Integer> joinedAfterUser) {
        /**
         * @param joinedAfterUser namespaces the child joins once it is in the joined user namespace (an unprivileged
         *                        caller has the capability setns needs only there), else empty: joined by the thread
         */
        CloneShape(
                NamespacePlan ns,
                Set<NamespaceKind> except,
                boolean timeOffsets,
                Map<NamespaceKind, Integer> fds,
                Map<NamespaceKind, Integer> joinedAfterUser) {
            this(
                    firstFlags(ns, except, timeOffsets),
                    timeOffsets && ns.creates(NamespaceKind.PID) ? CloneFlags.CLONE_NEWPID : 0,
                    timeOffsets,
                    ns.creates(NamespaceKind.USER) || ns.joins(NamespaceKind.USER),
                    ns.creates(NamespaceKind.USER),
                    fds.getOrDefault(NamespaceKind.USER, -1),
                    fds.getOrDefault(NamespaceKind.TIME, -1),
                    joinedAfterUser);
        }

        private static int firstFlags(NamespacePlan ns, Set<NamespaceKind> except, boolean timeOffsets) {
            Set<NamespaceKind> skip = EnumSet.copyOf(except);
            if (timeOffsets) {
                skip.add(NamespaceKind.PID);
            }
            return ns.createFlags(skip) | (ns.creates(NamespaceKind.USER) ? CloneFlags.CLONE_NEWUSER : 0);
        }
    }

    InitSpawner.Spawned spawn(SpawnRequest req, CloneShape shape) {
        int retries = 0;
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            int[] go = sys.pipe2(O_CLOEXEC);
            int[] execWatch = sys.pipe2(O_CLOEXEC);
            int[] ready = shape.viaSibling() ? sys.pipe2(O_CLOEXEC) : null;
            ForkChain sibling = shape.viaSibling() ? execChain(new ForkChain(), req) : null;
            ForkChain child = chain(req, shape, go[0], ready == null ? -1 : ready[1], sibling);
            long pid = InheritedFds.around(sys, req.passFds(), () -> (int) child.start(shape.firstFlags(), sibling));
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
                    sys.killAndAlwaysReap((int) pid);
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
                return new InitSpawner.Spawned(shape.viaSibling() ? -1 : (int) pid, retries);
            }
            if (outcome == Outcome.DIED) {
                throw new JruncException("the container init failed before exec (" + lastExit + ")");
            }
            // not expected any more (the child runs no Java), but a stuck child must never stall a create
            String where = describeStuck((int) pid);
            sys.killAndAlwaysReap((int) pid);
            killOtherChildren();
            retries++;
            failures.add("attempt " + attempt + " did not exec within " + watchdogMillis + " ms (" + where + ")");
            Log.debug("spawn retry: child " + pid + " stuck: " + where);
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
        for (Map.Entry<NamespaceKind, Integer> e : shape.joinedAfterUser().entrySet()) {
            c.setns(e.getValue(), e.getKey().flag());
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
            if (req.idMaps() == null) {
                throw new JruncException("a new user namespace needs linux.uidMappings and linux.gidMappings");
            }
            req.idMaps().writeTo(pid);
        }
        if ((shape.firstFlags() & CloneFlags.CLONE_NEWCGROUP) != 0) {
            // the clone made the cgroup namespace, so it was born in the container's cgroup (InitSpawner put this
            // thread there for it); it goes back to this runtime's before the init JVM starts, whose memory would
            // otherwise count against the container's limit (a 16 MiB container could not start). Its namespace
            // stays rooted where it was made; the init joins the container's cgroups at READY.
            byte[] child = Integer.toString(pid).getBytes(StandardCharsets.US_ASCII);
            for (int fd : req.cgroupOrigin()) {
                sys.write(fd, child, 0, child.length);
            }
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
                sys.killAndAlwaysReap(Integer.parseInt(p));
            }
        }
    }

    private enum Outcome {
        EXECED,
        DIED,
        HUNG
    }

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
            lastExit = WaitStatus.exited(status)
                    ? describeChildExit(WaitStatus.exitCode(status))
                    : "signal " + WaitStatus.signal(status);
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
            b.append(f)
                    .append('=')
                    .append(v == null ? "?" : v.trim().replace('\n', '|'))
                    .append(' ');
        }
        String stat = KernelFiles.readOrNull(Path.of("/proc/" + pid + "/stat"));
        b.append("stat=").append(stat == null ? "?" : stat.trim());
        return b.toString();
    }
}
