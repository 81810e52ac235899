package org.jrunc.container;

import static org.jrunc.sys.Flags.*;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;
import org.jrunc.JruncException;
import org.jrunc.config.ExecCpuAffinity;
import org.jrunc.config.Namespace;
import org.jrunc.config.ProcessConfig;
import org.jrunc.config.Spec;
import org.jrunc.config.SpecLoader;
import org.jrunc.log.Log;
import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.namespaces.NamespacePlan;
import org.jrunc.process.InitCommand;
import org.jrunc.process.InitSpawner;
import org.jrunc.process.SpawnRequest;
import org.jrunc.process.Spawner;
import org.jrunc.stage.protocol.ExecPlan;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.stage.protocol.SyncChannel;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.StateView;
import org.jrunc.state.Status;
import org.jrunc.sys.KernelFiles;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.terminal.ForegroundTerminal;

/**
 * `exec`: a new process in a running container. A stage JVM is started inside the container's network, IPC, UTS,
 * cgroup, time and user namespaces (joined by the spawn, the user namespace by a cloned child that runs no Java); the
 * stage joins the mount namespace, the pid namespace (for its children) and the cgroup itself, takes the container's
 * capabilities, rlimits, no_new_privs and seccomp filter (from the config.json copied at create), and clones the
 * process as this process's child. The stage is never in the container's pid namespace: nothing there can see it
 * while it has the host's view.
 */
public final class ContainerExec {
    private final ContainerHost host;
    private final StateStore store;
    private final Supplier<? extends Syscalls> syscalls;
    private final Spawner spawner;
    private Syscalls sys;

    /**
     * The host's system calls are asked for only once the process is planned, so that JNA's initialisation can run
     * in the background meanwhile (JnaWarmUp).
     *
     * @param spawner starts the exec stage in the container's namespaces ({@link InitSpawner#ON_HOST})
     */
    public ContainerExec(ContainerHost host, Spawner spawner) {
        this.host = host;
        this.store = host.store();
        this.syscalls = host.syscalls();
        this.spawner = spawner;
    }

    /** @return the exit status of the process (foreground), or 0 once it runs (--detach) */
    public int exec(ExecOptions o) {
        ContainerRecord r = store.load(o.id());
        Status s = host.probe().status(r, store.fifo(o.id()));
        if (s == Status.STOPPED || s == Status.CREATING) {
            throw new JruncException("cannot exec in a stopped container");
        }
        if (s == Status.PAUSED && !o.ignorePaused()) {
            throw new JruncException("cannot exec in a paused container (use --ignore-paused to override)");
        }
        Spec spec = SpecLoader.loadSpec(store.configCopy(o.id()));
        ProcessConfig pc = ExecProcess.of(o, spec.process());
        ProcessPlan.SeccompPlan seccomp = SeccompPlanner.plan(spec.linux().seccomp());
        ProcessPlan process = ProcessPlanner.plan(pc, "process", spec.linux(), seccomp, o.preserveFds());
        if (deniesSetgroups(r.initPid)) {
            process = ProcessPlanner.withoutSetgroups(process, "process");
        }
        // runc's rule: the exec'd process's own execCPUAffinity (a --process file's), else config.json's
        String affinityField = "config.json: field process.execCPUAffinity.";
        ExecCpuAffinity affinity = pc.execCpuAffinity();
        if (affinity != null) {
            affinityField = o.processFile() + ": field execCPUAffinity.";
        } else if (spec.process() != null) {
            affinity = spec.process().execCpuAffinity();
        }
        ExecPlan.Builder plan = ExecPlan.builder().process(process).seccompListener(-1);
        // SCMP_ACT_NOTIFY: the exec'd process's listener goes to the agent too, with the container's state (runc's)
        String listenerPath = null;
        if (seccomp != null && seccomp.usesNotify()) {
            listenerPath = spec.linux().seccomp().listenerPath();
            plan.stateJson(StateView.forHooks(r, s.value(), r.initPid));
        }
        if (affinity != null) {
            plan.initialCpus(ProcessPlanner.cpus(affinity.initial(), affinityField + "initial"))
                    .finalCpus(ProcessPlanner.cpus(affinity.finalCpus(), affinityField + "final"));
        }
        if (process.terminal()
                && o.detach()
                && (o.consoleSocket() == null || o.consoleSocket().isEmpty())) {
            throw new JruncException("cannot allocate tty if jrunc will detach without setting console socket");
        }
        sys = syscalls.get();
        List<Integer> fds = new ArrayList<>();
        try (ForegroundTerminal tty = ForegroundTerminal.needed(process.terminal(), o.consoleSocket(), o.detach())
                ? ForegroundTerminal.listen(sys)
                : null) {
            int pid = start(o, tty == null ? null : tty.socketPath(), r, process, listenerPath, plan, fds);
            if (o.pidFile() != null && !o.pidFile().isEmpty()) {
                PidFile.write(o.pidFile(), pid);
            }
            if (o.detach()) {
                return 0;
            }
            if (tty != null) {
                tty.start();
            }
            return ChildWaiter.waitForwardingSignals(sys, pid, tty == null ? null : tty::resize);
        } finally {
            fds.forEach(sys::close);
        }
    }

    /**
     * @param ownConsole the console socket of this process's {@link ForegroundTerminal}, or null
     * @param listenerPath linux.seccomp.listenerPath when the filter notifies, else null
     * @param plan the stage's plan, to which the descriptors opened here are added
     */
    private int start(
            ExecOptions o,
            String ownConsole,
            ContainerRecord r,
            ProcessPlan process,
            String listenerPath,
            ExecPlan.Builder plan,
            List<Integer> fds) {
        String mountHolder = mountNamespaceHolder(r);
        int mnt = keep(fds, sys.open(mountHolder + "/ns/mnt", O_RDONLY, 0));
        int pidNamespace = sharesNamespace(r.initPid, NamespaceKind.PID)
                ? -1
                : keep(fds, sys.open("/proc/" + r.initPid + "/ns/pid", O_RDONLY, 0));
        int root =
                !r.mountNamespace.isEmpty() ? keep(fds, sys.open(mountHolder + "/root", O_PATH | O_DIRECTORY, 0)) : -1;
        int[] procs = openProcs(o, r, fds);
        int console = -1;
        if (process.terminal()) {
            String path = ownConsole != null ? ownConsole : o.consoleSocket();
            try {
                console = keep(fds, sys.connectUnix(path, SOCK_STREAM));
            } catch (SyscallException e) {
                throw new JruncException("--console-socket " + path + ": " + e.getMessage());
            }
        }
        int listener = -1;
        if (listenerPath != null) {
            try {
                listener = keep(fds, sys.connectUnix(listenerPath, SOCK_STREAM));
            } catch (SyscallException e) {
                throw new JruncException("linux.seccomp.listenerPath " + listenerPath + ": " + e.getMessage());
            }
        }
        // not passed to the stage: this process sends the pidfd once the process runs
        int pidfdSocket = o.pidfdSocket() == null ? -1 : keep(fds, PidfdSocket.connect(sys, o.pidfdSocket()));
        int[] pair = sys.socketpair(AF_UNIX, SOCK_STREAM);
        keep(fds, pair[1]);
        List<Integer> pass = new ArrayList<>(List.of(pair[1], mnt));
        if (pidNamespace >= 0) {
            pass.add(pidNamespace);
        }
        if (root >= 0) {
            pass.add(root);
        }
        for (int fd : procs) {
            pass.add(fd);
        }
        if (console >= 0) {
            pass.add(console);
        }
        if (listener >= 0) {
            pass.add(listener);
        }
        for (int fd = 3; fd < 3 + process.preserveFds(); fd++) {
            pass.add(fd);
        }
        SpawnRequest req = SpawnRequest.builder()
                .argv(InitCommand.build("org.jrunc.stage.ExecMain", Integer.toString(pair[1])))
                .envp(InitCommand.environment())
                .namespaces(namespacesOf(r.initPid))
                .passFds(IntArrays.of(pass))
                .readonlyRuntime(InitCommand.runtimeFiles())
                .build();
        InitSpawner.Spawned spawned = spawner.spawn(sys, req);
        sys.close(pair[1]);
        fds.remove((Integer) pair[1]);
        try (SyncChannel channel = new SyncChannel(sys, pair[0])) {
            SyncChannel.Frame hello = channel.expect(SyncChannel.Type.HELLO, "the exec stage exited before it started");
            int stage = Integer.parseInt(hello.text().trim());
            if (spawned.pid() > 0 && spawned.pid() != stage) {
                sys.killAndReap(spawned.pid());
                throw new JruncException("exec stage reported pid " + stage + ", expected " + spawned.pid());
            }
            channel.sendPlan(plan.mountNamespace(mnt)
                    .cgroupProcs(procs)
                    .console(console)
                    .pidNamespace(pidNamespace)
                    .root(root)
                    .seccompListener(listener)
                    .build());
            SyncChannel.Frame f = channel.receive();
            while (f != null && f.type() == SyncChannel.Type.WARN) {
                Log.warn(f.text());
                f = channel.receive();
            }
            if (f != null && f.type() == SyncChannel.Type.READY) {
                f = channel.receive();
            }
            if (f == null || f.type() != SyncChannel.Type.STARTED) {
                sys.killAndReap(stage);
                throw new JruncException("unable to start container process: " + whyNot(f));
            }
            int pid = Integer.parseInt(f.text().trim());
            // end of file once the process's execve succeeded (the stage then exits by itself, and is left to exit:
            // waiting would add the teardown of its JVM to exec's time); else why it failed
            SyncChannel.Frame outcome = channel.receive();
            if (outcome != null) {
                sys.killAndReap(stage);
                sys.killAndReap(pid);
                throw new JruncException("unable to start container process: " + whyNot(outcome));
            }
            if (pidfdSocket >= 0) {
                sendPidfd(pidfdSocket, pid);
            }
            return pid;
        }
    }

    /** --pidfd-socket; the process is this process's child, so it is there to refer to even if it has exited. */
    private void sendPidfd(int socket, int pid) {
        try {
            PidfdSocket.send(sys, socket, pid, PidfdSocket.EXEC);
        } catch (RuntimeException e) {
            sys.killAndReap(pid);
            throw e;
        }
    }

    private static String whyNot(SyncChannel.Frame f) {
        return f == null || f.type() != SyncChannel.Type.ERROR ? "the exec stage exited" : f.text();
    }

    /** Whether process {@code pid} is in this process's namespace of kind {@code k}. */
    public static boolean sharesNamespace(int pid, NamespaceKind k) {
        Path theirs = Path.of("/proc/" + pid + "/ns/" + k.procName());
        try {
            return Files.readSymbolicLink(theirs)
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/" + k.procName())));
        } catch (IOException e) {
            throw new JruncException("cannot read " + theirs + ": " + e.getMessage());
        }
    }

    /**
     * Where the container's mount namespace and root show in /proc: its init's. Before `start`, the init of a
     * container that joined a mount namespace is still a JVM whose first thread (the one /proc/PID names) never
     * entered it; only the thread that will exec did, with a root of its own. That thread is the one whose mount
     * namespace differs.
     */
    private static String mountNamespaceHolder(ContainerRecord r) {
        String process = "/proc/" + r.initPid;
        if (!r.mountNamespace.equals(ContainerRecord.JOINED)) {
            return process;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of(process, "task"))) {
            Path first = Files.readSymbolicLink(Path.of(process, "ns", "mnt"));
            for (Path task : tasks) {
                try {
                    if (!Files.readSymbolicLink(task.resolve("ns/mnt")).equals(first)) {
                        return task.toString();
                    }
                } catch (IOException threadGone) {
                    // a JVM thread that ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new JruncException("cannot read the tasks of " + process + ": " + e.getMessage());
        }
        return process;
    }

    /**
     * Every namespace of the container's init that differs from this process's own (those are the container's), but
     * the mount and pid namespaces: the stage joins those itself, the pid one for its children only.
     */
    /** The container's user namespace denies setgroups (its own gid mapped alone by an unprivileged caller). */
    private static boolean deniesSetgroups(int initPid) {
        String setgroups = KernelFiles.readOrNull(Path.of("/proc/" + initPid + "/setgroups"));
        return setgroups != null && setgroups.trim().equals("deny");
    }

    static NamespacePlan namespacesOf(int initPid) {
        List<Namespace> join = new ArrayList<>();
        for (NamespaceKind k : NamespaceKind.values()) {
            if (k != NamespaceKind.MOUNT && k != NamespaceKind.PID && !sharesNamespace(initPid, k)) {
                join.add(new Namespace(k.specName(), "/proc/" + initPid + "/ns/" + k.procName()));
            }
        }
        return NamespacePlan.parse(join);
    }

    /** The container's cgroup.procs in every hierarchy, or --cgroup's sub-cgroup of it. */
    private int[] openProcs(ExecOptions o, ContainerRecord r, List<Integer> fds) {
        List<Integer> out = new ArrayList<>();
        for (String dir : new LinkedHashSet<>(r.cgroupPaths.values())) {
            String target = o.cgroup() == null || o.cgroup().isEmpty() ? dir : dir + "/" + subCgroup(o.cgroup());
            try {
                out.add(keep(fds, sys.open(target + "/cgroup.procs", O_WRONLY, 0)));
            } catch (SyscallException e) {
                throw new JruncException("--cgroup " + o.cgroup() + ": " + target + ": " + e.getMessage());
            }
        }
        return IntArrays.of(out);
    }

    /** runc's --cgroup: "path" or "controllers:path"; the path stays under the container's cgroup. */
    private static String subCgroup(String spec) {
        String path = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : spec;
        if (path.contains("..")) {
            throw new JruncException("--cgroup " + spec + ": must not contain \"..\"");
        }
        return path.replaceAll("^/+", "");
    }

    private static int keep(List<Integer> fds, int fd) {
        fds.add(fd);
        return fd;
    }
}
