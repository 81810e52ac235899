package org.jrunc.stage;

import static org.jrunc.sys.Flags.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jrunc.JruncException;
import org.jrunc.hooks.HookRunner;
import org.jrunc.json.JsonWriter;
import org.jrunc.log.Trace;
import org.jrunc.network.Loopback;
import org.jrunc.rootfs.RootJail;
import org.jrunc.rootfs.RootfsSetup;
import org.jrunc.stage.protocol.InitFds;
import org.jrunc.stage.protocol.InitPlan;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.stage.protocol.SyncChannel;
import org.jrunc.sys.CapSets;
import org.jrunc.sys.CloneFlags;
import org.jrunc.sys.Errno;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.terminal.ConsoleSetup;

/**
 * The container's init: a JVM started by exec inside the new namespaces (never a forked copy of the runtime JVM; see
 * docs/PROCESS-CREATION.md). It builds the rootfs, reports READY, waits on exec.fifo for `start`, runs the
 * startContainer hooks and becomes the container process; or, when the container joins a pod's pid namespace, which
 * the init stays out of, clones the process into it before READY and releases it at `start`
 * ({@link ProcessInJoinedPidNamespace}), and {@link #run} returns.
 */
public final class ContainerInit {
    private final Syscalls sys;
    private final Callbacks callbacks = new Callbacks();
    private final InitPlan plan;
    private final SyncChannel channel;
    private final int hostPid;
    private boolean ready;
    /** The container's process when it is not this init (a pod's pid namespace), as the host sees it; else -1. */
    private int podProcessPid = -1;
    /** exec.fifo, open for writing from `start` until execve closes it; -1 before. */
    private int startFifo = -1;

    /** @param hostPid this process as the host sees it (the pid the runtime reports) */
    public ContainerInit(Syscalls sys, InitPlan plan, SyncChannel channel, int hostPid) {
        this.sys = sys;
        this.plan = plan;
        this.channel = channel;
        this.hostPid = hostPid;
    }

    /** Before READY a failure goes to `create` over the channel; after it, to the log. */
    public boolean isReady() {
        return ready;
    }

    public void run() {
        InitFds fds = plan.fds();
        requirePrivileges();
        if (plan.unshareCgroupNamespace()) {
            // before anything mounts cgroupfs: systemd has put this process in the container's cgroups by now
            sys.unshare(CloneFlags.CLONE_NEWCGROUP);
        }
        if (plan.loopbackUp()) {
            // before the prestart hooks, which may configure the namespace further (runc's order)
            Loopback.up(sys);
        }
        enterMountNamespace(fds.mountNamespace());
        copyMountNamespace(fds.runtimeMountNamespace());
        RootfsSetup rootfs = new RootfsSetup(sys, plan.rootfs(), callbacks);
        if (fds.pidNamespace() >= 0) {
            rootfs.showProcOf(fds.pidNamespace());
        }
        rootfs.useMountSources(fds.mountSources());
        rootfs.prepare();
        Trace.mark("init", "rootfs prepared");
        if (plan.runtimeHooks()) {
            channel.send(SyncChannel.Type.RUN_HOOKS, new byte[0]);
            channel.expect(SyncChannel.Type.HOOKS_DONE, "the runtime went away while running hooks");
        }
        HookRunner hooks = new HookRunner(sys);
        // "created": lifecycle step 5, after the environment of step 2 ("creating"), as for prestart and createRuntime
        hooks.runAll("createContainer", plan.createContainerHooks(), state("created"));
        ProcessPlan process = plan.process();
        ProcessExecutor executor = new ProcessExecutor(sys);
        if (process.terminal()) {
            if (fds.console() < 0) {
                throw new JruncException("process.terminal is true but no --console-socket was given");
            }
            executor.takeTerminalAsStdio(new ConsoleSetup(sys, rootfs.root())
                    .setup(fds.console(), process.consoleHeight(), process.consoleWidth()));
        }
        rootfs.finish(List.of());
        applyKernelSettings();
        // the host's procfs stays reachable through this descriptor only until exec.fifo has been reopened
        int hostProc = sys.open("/proc", O_PATH | O_DIRECTORY, 0);
        RootJail jail = new RootJail(sys, plan.rootfs());
        jail.enter(rootfs.root().rootFd());
        sys.close(rootfs.root().rootFd());
        mkdirCwd(process.cwd());
        jail.finish();
        Trace.mark("init", "pivoted");
        ProcessPlan finalPlan = executor.prepare(process, callbacks);
        String executable = ExecutableLookup.resolve(process.args().get(0), finalPlan.env(), process.cwd());
        // The container's process is in every cgroup of the container from here on, as runc's init is when create
        // returns, so ps, kill --all, pause and events before start see it. As late as that allows: memory is charged
        // when a page is touched, not when a process moves, so the JVM's start-up stays charged where it ran, and
        // only what it touches from here to execve (a few pages) counts against a limit as low as 1 MiB.
        ProcessInJoinedPidNamespace inPod = null;
        if (fds.pidNamespace() >= 0) {
            inPod = ProcessInJoinedPidNamespace.clone(sys, fds.pidNamespace(), finalPlan, executable);
            executor.moveIntoCgroups(fds.containerCgroupProcs(), inPod.pid());
            podProcessPid = inPod.pid();
        } else {
            executor.joinCgroups(fds.containerCgroupProcs());
        }
        Trace.mark("init", "ready");
        ready = true;
        channel.send(SyncChannel.Type.READY, inPod == null ? "" : Integer.toString(inPod.pid()));
        channel.close();
        if (inPod != null) {
            inPod.exitWithIt();
        }
        waitForStart(hostProc, fds.fifo());
        Trace.mark("init", "started");
        hooks.runAll("startContainer", plan.startContainerHooks(), state("created"));
        if (inPod != null) {
            inPod.release(executor, finalPlan);
            return;
        }
        executor.exec(finalPlan, executable, process.terminal(), fds.seccompListener(), callbacks);
    }

    /** SCMP_ACT_NOTIFY: the listener fd to the seccomp agent, with this process (the container's) "creating". */
    private void sendSeccompListener(int socket, int listenerFd) {
        Map<String, Object> state = new LinkedHashMap<>(plan.stateJson());
        state.put("status", "creating");
        state.put("pid", (long) hostPid);
        SeccompAgent.send(
                sys, socket, listenerFd, hostPid, plan.process().seccomp().listenerMetadata(), state);
    }

    /**
     * The process that exec'ed this init could not stop on a failed step (it runs no Java and cannot branch), so the
     * init checks the outcome: without CAP_SYS_ADMIN (setresuid in a new user namespace failed, say) nothing below
     * could work.
     */
    private void requirePrivileges() {
        if ((sys.capget().effective() & CapSets.CAP_SYS_ADMIN) == 0) {
            throw new JruncException(
                    "the container init lacks CAP_SYS_ADMIN (in a user namespace: are uid 0 and gid 0 " + "mapped?)");
        }
    }

    /**
     * A container without a new mount namespace shares the runtime's or one joined by path, which this init enters
     * now that its JVM runs (java need not exist in a joined one). One spawned straight into the runtime's is there
     * already; setns would only cost this thread its shared root.
     */
    private void enterMountNamespace(int namespace) {
        if (namespace < 0) {
            return;
        }
        int own = sys.open("/proc/self/ns/mnt", O_RDONLY, 0);
        try {
            FileStat mine = sys.fstat(own);
            FileStat target = sys.fstat(namespace);
            if (mine.ino() != target.ino()
                    || mine.devMajor() != target.devMajor()
                    || mine.devMinor() != target.devMinor()) {
                // setns into a mount namespace needs a private fs_struct; the JVM's other threads keep theirs
                sys.unshare(CloneFlags.CLONE_FS);
                sys.setns(namespace, CloneFlags.CLONE_NEWNS);
            }
        } finally {
            sys.close(own);
            sys.close(namespace);
        }
    }

    /**
     * The container's new mount namespace, made on this thread as a copy of the runtime's ({@code namespace}) rather
     * than of the read-only one this JVM was spawned in (see InitFds.runtimeMountNamespace). The JVM keeps running
     * from the read-only mounts, on which its executable and jar were opened.
     */
    private void copyMountNamespace(int namespace) {
        if (namespace < 0) {
            return;
        }
        enterMountNamespace(namespace);
        sys.unshare(CloneFlags.CLONE_NEWNS);
    }

    private void applyKernelSettings() {
        for (Map.Entry<String, String> e : plan.sysctl().entrySet()) {
            writeSysctl(e.getKey(), e.getValue());
        }
        if (plan.oomScoreAdj() != null) {
            writeProc("/proc/self/oom_score_adj", plan.oomScoreAdj().toString(), "process.oomScoreAdj");
        }
        if (plan.hostname() != null) {
            sys.sethostname(plan.hostname());
        }
        if (plan.domainname() != null) {
            sys.setdomainname(plan.domainname());
        }
    }

    /**
     * The validator let only namespaced names through; what is left for the kernel to say, said in words: a name
     * it does not have, one this user namespace may not write (a sysctl of the host's, or of a namespace owned by a
     * user namespace above it, as for podman's rootless runtime), or a value it refuses.
     */
    private void writeSysctl(String key, String value) {
        String field = "linux.sysctl \"" + key + "\"";
        try {
            writeBytes("/proc/sys/" + key.replace('.', '/'), value);
        } catch (SyscallException e) {
            switch (e.errno()) {
                case Errno.ENOENT:
                    throw new JruncException(field + ": the kernel has no such sysctl");
                case Errno.EACCES:
                case Errno.EPERM:
                    throw new JruncException(field + ": not writable from the container's user namespace ("
                            + Errno.describe(e.errno()) + "): it belongs to the host or to a namespace that user "
                            + "namespace does not own");
                case Errno.EINVAL:
                    throw new JruncException(field + ": the kernel refused the value \"" + value + "\""
                            + (key.equals("net.ipv4.ping_group_range")
                                    ? " (are all its ids mapped in the user namespace?)"
                                    : " (invalid argument)"));
                default:
                    throw new JruncException(field + " = " + value + ": " + e.getMessage());
            }
        }
    }

    private void writeProc(String path, String value, String what) {
        try {
            writeBytes(path, value);
        } catch (RuntimeException e) {
            throw new JruncException(what + " = " + value + ": " + e.getMessage());
        }
    }

    private void writeBytes(String path, String value) {
        int fd = sys.open(path, O_WRONLY | O_TRUNC, 0);
        try {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            sys.write(fd, b, 0, b.length);
        } finally {
            sys.close(fd);
        }
    }

    private void mkdirCwd(String cwd) {
        try {
            Files.createDirectories(Path.of(cwd));
        } catch (IOException e) {
            throw new JruncException("process.cwd " + cwd + ": " + e.getMessage());
        }
    }

    /**
     * Blocks until `start` opens exec.fifo for reading, then hands it the byte it waits for. The write end stays open
     * until execve closes it (or, for a process in a pod's pid namespace, until this init exits after that process's
     * execve): `start` reads on to end of file, so it returns once the process runs, and fails with what went wrong
     * on the way ({@link #reportToStart}).
     */
    private void waitForStart(int hostProc, int fifoPath) {
        int fifo = sys.openat(hostProc, "self/fd/" + fifoPath, O_WRONLY | O_CLOEXEC, 0);
        sys.close(hostProc);
        sys.write(fifo, new byte[] {'0'}, 0, 1);
        sys.close(fifoPath);
        startFifo = fifo;
    }

    /**
     * After `start` released this init, a failure on the way to execve (a startContainer hook, a refused execve) goes
     * to `start` itself: it reads exec.fifo on to end of file, and text after the "0" is the reason the container
     * process did not start. Returns false before `start` (the failure then has only the log to go to).
     */
    public boolean reportToStart(String message) {
        if (startFifo < 0) {
            return false;
        }
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        sys.writeAll(startFifo, b, 0, b.length);
        return true;
    }

    private String state(String status) {
        Map<String, Object> s = new LinkedHashMap<>(plan.stateJson());
        s.put("status", status);
        s.put("pid", (long) (podProcessPid > 0 ? podProcessPid : sys.getpid()));
        return JsonWriter.compact(s);
    }

    private void warn(String message) {
        if (!ready) {
            channel.send(SyncChannel.Type.WARN, message);
        }
    }

    /**
     * Warnings to the runtime and the seccomp listener to its agent. A named class rather than method references: the
     * init's path cannot be trained into the AOT cache, and each lambda there costs class spinning in every init.
     */
    private final class Callbacks implements Consumer<String>, ProcessExecutor.SeccompListener {
        @Override
        public void accept(String message) {
            warn(message);
        }

        @Override
        public void send(int socket, int listenerFd) {
            sendSeccompListener(socket, listenerFd);
        }
    }
}
