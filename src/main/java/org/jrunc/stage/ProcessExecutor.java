package org.jrunc.stage;

import static org.jrunc.sys.Prctl.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jrunc.JruncException;
import org.jrunc.caps.CapabilityNames;
import org.jrunc.caps.CapabilityPlan;
import org.jrunc.caps.CapabilityReconciler;
import org.jrunc.log.Trace;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.sys.CapSets;
import org.jrunc.sys.Errno;
import org.jrunc.sys.Flags;
import org.jrunc.sys.KernelFiles;
import org.jrunc.sys.PreparedExec;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.Tty;

/**
 * The last steps before the container process runs, all on the thread that calls execve (capabilities, no_new_privs
 * and seccomp are per-thread): scheduling, the bounding set, rlimits, user and groups, the working
 * directory, closing every descriptor that is not passed on, the capability sets, no_new_privs and, last, seccomp.
 */
public final class ProcessExecutor {
    private final Syscalls sys;
    private final Launcher launcher;

    /** An executor whose last step is execve in place: this process becomes the container process (the init). */
    public ProcessExecutor(Syscalls sys) {
        this(sys, new ExecInPlace(sys));
    }

    public ProcessExecutor(Syscalls sys, Launcher launcher) {
        this.sys = sys;
        this.launcher = launcher;
    }

    /** How the process starts once every step ran on this thread. */
    public interface Launcher {
        /** Everything the start needs, allocated now: before the rlimits and the filter. */
        void prepare(PreparedExec image);

        /** The last call: execve in place, or a clone of this thread that execs (the exec stage). */
        void launch();

        /**
         * Whether the caller sets process.rlimits on the launched process ({@link #applyRlimits}) before it runs,
         * rather than this thread on its own process right before the launch.
         */
        default boolean rlimitsAfterLaunch() {
            return false;
        }
    }

    /** execve on this thread: never returns on success. */
    private static final class ExecInPlace implements Launcher {
        private final Syscalls sys;
        private PreparedExec image;

        ExecInPlace(Syscalls sys) {
            this.sys = sys;
        }

        @Override
        public void prepare(PreparedExec image) {
            this.image = image;
        }

        @Override
        public void launch() {
            sys.execve(image);
        }
    }

    /**
     * Makes the pty peer this process's stdin, stdout and stderr, and closes the peer's own descriptor. The init does
     * this as soon as it has the pty, not at execve: it then holds only the terminal while it waits for `start`, and
     * the stdio it was started with (create's own, which containerd's shim reads to its end) is let go when create
     * exits, as runc's init lets it go.
     */
    public void takeTerminalAsStdio(int ttyFd) {
        sys.dup3(ttyFd, 0, 0);
        sys.dup3(ttyFd, 1, 0);
        sys.dup3(ttyFd, 2, 0);
        if (ttyFd > 2) {
            sys.close(ttyFd);
        }
    }

    /**
     * @param resolvedPath the executable, already looked up
     * @param terminal whether stdin is the pty ({@link #takeTerminalAsStdio}) that becomes the controlling terminal
     * @param listenerSocket where to send a seccomp notify fd, or -1
     */
    public void exec(
            ProcessPlan p, String resolvedPath, boolean terminal, int listenerSocket, SeccompListener listener) {
        if (p.personality() != null) {
            sys.personality(p.personality());
        }
        if (p.scheduler() != null) {
            sys.schedSetattr(0, p.scheduler());
        }
        if (p.ioPriority() != null) {
            sys.ioprioSet(Flags.IOPRIO_WHO_PROCESS, 0, p.ioPriority());
        }
        if (terminal) {
            sys.ioctl(0, Tty.TIOCSCTTY, 0);
        }
        applyLabels(p);
        // everything the execve needs is in native memory before the limits below make any new mapping fail
        launcher.prepare(sys.prepareExec(
                resolvedPath, p.args().toArray(new String[0]), p.env().toArray(new String[0])));
        Trace.mark("stage", "execve");
        CapabilityPlan caps = p.capabilities();
        if (caps != null) {
            dropBounding(caps.bounding());
        }
        // From here to execve the runtime's own code makes system calls only: process.rlimits bind the container
        // process, not the JVM that reported READY (a 1 GiB RLIMIT_AS is far below a JVM's mapped size). Raising a
        // hard limit needs CAP_SYS_RESOURCE, so before the user and capabilities change.
        if (!launcher.rlimitsAfterLaunch()) {
            for (ProcessPlan.RlimitPlan r : p.rlimits()) {
                setRlimit(r);
            }
        }
        sys.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
        if (p.additionalGids() != null) {
            // null: setgroups is denied in this user namespace (ProcessPlanner.withoutSetgroups)
            sys.setgroups(p.additionalGids());
        }
        sys.setresgid(p.gid(), p.gid(), p.gid());
        sys.setresuid(p.uid(), p.uid(), p.uid());
        // as the container user, so a cwd the user may not enter fails as it would for them
        enterCwd(p.cwd());
        sys.umask(p.umask() == null ? 022 : p.umask());
        // every descriptor but stdio and the passed ones is closed at exec (CVE-2024-21626)
        sys.closeRange(3 + p.preserveFds(), Integer.MAX_VALUE, Flags.CLOSE_RANGE_CLOEXEC);
        for (int fd = 3; fd < 3 + p.preserveFds(); fd++) {
            sys.fcntl(fd, Flags.F_SETFD, 0);
        }
        boolean filterNeedsPrivilege = p.seccomp() != null && !p.noNewPrivileges();
        setCapabilitiesBeforeTheFilter(caps, filterNeedsPrivilege);
        sys.prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
        if (p.noNewPrivileges()) {
            sys.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        }
        // The filter is the last step before execve, so a profile that does not allow the runtime's own calls above
        // (setresuid, chdir, getcwd, close_range, fcntl, prctl) still runs the process. Without no_new_privs,
        // installing it needs CAP_SYS_ADMIN: it goes in while the permitted set is still whole, and only the capset
        // that drops to the configured sets runs under it.
        int listenerFd = -1;
        if (filterNeedsPrivilege) {
            listenerFd = sys.seccompSetFilter(p.seccomp().flags(), p.seccomp().program());
        }
        if (caps != null) {
            sys.capset(caps.effective(), caps.permitted(), caps.inheritable());
        }
        if (p.seccomp() != null && p.noNewPrivileges()) {
            listenerFd = sys.seccompSetFilter(p.seccomp().flags(), p.seccomp().program());
        }
        if (listenerFd > 0 && listener != null) {
            listener.send(listenerSocket, listenerFd);
        }
        launcher.launch();
    }

    /**
     * The capability sets between the user change and the filter: the ambient capabilities are raised while the
     * permitted set is still the one this stage started with (the reconciler kept only those in the plan's permitted
     * and inheritable sets, so the final capset keeps them), with the plan's inheritable set in place first. With
     * {@code filterNeedsPrivilege} the effective set is the whole permitted set again (setresuid to a non-root user
     * cleared it), for a filter that needs CAP_SYS_ADMIN to go in.
     */
    private void setCapabilitiesBeforeTheFilter(CapabilityPlan caps, boolean filterNeedsPrivilege) {
        if (caps == null && !filterNeedsPrivilege) {
            return;
        }
        CapSets now = sys.capget();
        long effective = filterNeedsPrivilege ? now.permitted() : caps.effective() & now.permitted();
        sys.capset(effective, now.permitted(), caps != null ? caps.inheritable() : now.inheritable());
        if (caps == null) {
            return;
        }
        sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        for (int cap = 0; cap < 64; cap++) {
            if ((caps.ambient() & (1L << cap)) != 0) {
                sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
            }
        }
    }

    /**
     * The LSM labels the process gets at execve (the planner kept only those of active modules). Set before the
     * seccomp filter, which may refuse the writes, and through this thread's attr files: the label is per task.
     */
    private void applyLabels(ProcessPlan p) {
        if (p.apparmorProfile() != null) {
            String value = "exec " + p.apparmorProfile();
            if (!writeAttr("/proc/thread-self/attr/apparmor/exec", value)) {
                writeAttrOrFail("/proc/thread-self/attr/exec", value, "process.apparmorProfile");
            }
        }
        if (p.selinuxLabel() != null) {
            writeAttrOrFail("/proc/thread-self/attr/exec", p.selinuxLabel(), "process.selinuxLabel");
        }
    }

    private void writeAttrOrFail(String path, String value, String field) {
        try {
            writeAttrFile(path, value);
        } catch (RuntimeException e) {
            throw new JruncException(field + ": cannot apply \"" + value + "\": " + e.getMessage());
        }
    }

    /** False when the file does not exist (an older kernel without the per-module attr directory). */
    private boolean writeAttr(String path, String value) {
        try {
            writeAttrFile(path, value);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw new JruncException("process.apparmorProfile: cannot apply \"" + value + "\": " + e.getMessage());
        }
    }

    private void writeAttrFile(String path, String value) {
        int fd = sys.open(path, Flags.O_WRONLY, 0);
        try {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            sys.write(fd, b, 0, b.length);
        } finally {
            sys.close(fd);
        }
    }

    /** Sends the notify listener fd to the seccomp agent. */
    public interface SeccompListener {
        void send(int socket, int listenerFd);
    }

    /** Moves this process into each cgroup whose cgroup.procs is open as one of {@code procs}, and closes them. */
    public void joinCgroups(int[] procs) {
        moveIntoCgroups(procs, 0);
    }

    /**
     * Moves process {@code pid} (0: this one, as cgroup.procs reads it) into each cgroup whose cgroup.procs is open as
     * one of {@code procs}, and closes them.
     */
    public void moveIntoCgroups(int[] procs, int pid) {
        byte[] b = Integer.toString(pid).getBytes(StandardCharsets.US_ASCII);
        for (int fd : procs) {
            sys.write(fd, b, 0, b.length);
            sys.close(fd);
        }
    }

    private void dropBounding(long keep) {
        int last = lastCap();
        for (int cap = 0; cap <= last; cap++) {
            if ((keep & (1L << cap)) == 0) {
                sys.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
            }
        }
    }

    static int lastCap() {
        try {
            return Integer.parseInt(
                    KernelFiles.read(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
        } catch (Exception e) {
            return CapabilityNames.last();
        }
    }

    /**
     * chdir, then prove the result is inside the root: getcwd reports "(unreachable)" for a directory outside it, which
     * is what a leaked host descriptor reached through /proc/self/fd/N would give (CVE-2024-21626).
     */
    private void enterCwd(String cwd) {
        sys.chdir(cwd);
        String real = sys.getcwd();
        if (!real.startsWith("/")) {
            throw new JruncException("process.cwd " + cwd + " resolves outside the container root");
        }
    }

    /**
     * The process with its capability sets fitted to what this process holds (a warning per capability skipped) and
     * HOME filled in: what both the init and the exec stage do before they report READY. The rlimits are checked
     * here, as runc sets them when its init reports ready: a limit the kernel refuses fails `create` (or `exec`)
     * instead of a container that dies after `start`. They are set only right before execve ({@link #exec}). The
     * memory policy is set here, on the calling thread ({@link #setMemoryPolicy}).
     */
    public ProcessPlan prepare(ProcessPlan p, Consumer<String> warn) {
        for (ProcessPlan.RlimitPlan r : p.rlimits()) {
            probeRlimit(r);
        }
        if (p.memoryPolicy() != null) {
            setMemoryPolicy(p.memoryPolicy());
        }
        CapabilityReconciler.Result caps = CapabilityReconciler.fit(
                p.capabilities(), sys.capget().permitted() & CapabilityReconciler.kernelMask(lastCap()));
        caps.warnings().forEach(warn);
        return p.withCapabilities(caps.plan()).withEnv(withHome(p.env(), p.uid()));
    }

    /**
     * Asks the kernel whether {@code r} would be accepted without letting it bind this JVM. A soft limit above the
     * hard one is refused before anything changes; lowering a hard limit is always allowed; raising one is the only
     * case that needs a privilege (CAP_SYS_RESOURCE, and fs.nr_open for RLIMIT_NOFILE), so that raise is tried with
     * today's soft limit and undone at once (lowering again is always allowed).
     */
    private void probeRlimit(ProcessPlan.RlimitPlan r) {
        if (Long.compareUnsigned(r.soft(), r.hard()) > 0) {
            setRlimit(r);
            return;
        }
        long[] now = sys.getrlimit(r.resource());
        if (Long.compareUnsigned(r.hard(), now[1]) > 0) {
            setRlimit(new ProcessPlan.RlimitPlan(r.resource(), r.name(), now[0], r.hard()), r);
            sys.setrlimit(r.resource(), now[0], now[1]);
        }
    }

    /**
     * linux.memoryPolicy on this thread, now rather than at execve, as runc's init sets it before it reports ready: a
     * policy the kernel refuses (a node this host lacks) fails `create` or `exec`. The policy is per thread and
     * inherited by what the thread starts, so the process gets it from this thread, which execs (the init), starts
     * the thread that clones it (a pod's pid namespace), or clones it (the exec stage); so do startContainer hooks,
     * as runc's do.
     */
    private void setMemoryPolicy(ProcessPlan.MemoryPolicyPlan m) {
        try {
            sys.setMempolicy(m.mode(), m.nodes());
        } catch (SyscallException e) {
            throw new JruncException("linux.memoryPolicy: " + m.name() + ": " + e.getMessage());
        }
    }

    /** runc's rule: a HOME from the container's /etc/passwd (or "/") when process.env has none. */
    static List<String> withHome(List<String> env, long uid) {
        for (String e : env) {
            if (e.startsWith("HOME=")) {
                return env;
            }
        }
        List<String> out = new ArrayList<>(env);
        out.add("HOME=" + homeOf(uid));
        return out;
    }

    private static String homeOf(long uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length >= 6 && f[2].equals(Long.toString(uid))) {
                    return f[5];
                }
            }
        } catch (Exception e) {
            // no passwd file: fall through
        }
        return "/";
    }

    /** process.rlimits on another process, launched and not yet running (prlimit needs CAP_SYS_RESOURCE). */
    public void applyRlimits(int pid, ProcessPlan p) {
        for (ProcessPlan.RlimitPlan r : p.rlimits()) {
            try {
                sys.prlimit(pid, r.resource(), r.soft(), r.hard());
            } catch (SyscallException e) {
                throw rlimitRefused(r, e);
            }
        }
    }

    /** runc's wording, which podman turns into exit status 126 when it ends in "operation not permitted". */
    private void setRlimit(ProcessPlan.RlimitPlan r) {
        setRlimit(r, r);
    }

    /** Sets {@code limit}, a refusal worded after {@code asked} (what the configuration asked for). */
    private void setRlimit(ProcessPlan.RlimitPlan limit, ProcessPlan.RlimitPlan asked) {
        try {
            sys.setrlimit(limit.resource(), limit.soft(), limit.hard());
        } catch (SyscallException e) {
            throw rlimitRefused(asked, e);
        }
    }

    private static JruncException rlimitRefused(ProcessPlan.RlimitPlan asked, SyscallException e) {
        return new JruncException("error setting rlimit type " + asked.resource() + " (" + asked.name() + " soft "
                + asked.soft() + " hard " + asked.hard() + "): " + Errno.describe(e.errno()));
    }
}
