package org.jrunc.container;

import static org.jrunc.sys.Flags.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.cgroups.ContainerCgroup;
import org.jrunc.cgroups.Hierarchy;
import org.jrunc.cgroups.systemd.SystemdUnit;
import org.jrunc.config.Hook;
import org.jrunc.config.Hooks;
import org.jrunc.config.NetDevice;
import org.jrunc.config.Resources;
import org.jrunc.config.Spec;
import org.jrunc.hooks.HookPhases;
import org.jrunc.hooks.HookSpec;
import org.jrunc.json.JsonWriter;
import org.jrunc.log.Log;
import org.jrunc.log.Trace;
import org.jrunc.monitor.MonitorLaunch;
import org.jrunc.namespaces.IdMaps;
import org.jrunc.namespaces.NamespaceFiles;
import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.namespaces.NamespacePlan;
import org.jrunc.network.NetDevices;
import org.jrunc.process.HostProcesses;
import org.jrunc.process.InitCommand;
import org.jrunc.process.InitSpawner;
import org.jrunc.process.ProcStat;
import org.jrunc.process.SpawnRequest;
import org.jrunc.process.Spawner;
import org.jrunc.rootfs.IdmappedMount;
import org.jrunc.rootfs.MountTable;
import org.jrunc.rootfs.RootfsPlan;
import org.jrunc.rootfs.SharedNamespaceMounts;
import org.jrunc.stage.protocol.InitFds;
import org.jrunc.stage.protocol.InitPlan;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.stage.protocol.SyncChannel;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.StateView;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.KernelRelease;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.WaitStatus;

/**
 * `create`: validates config.json completely, claims the ID, sets up the cgroup, starts the init in its namespaces and
 * talks it through the set-up. Any failure undoes everything (state directory, cgroup, init process) before the error
 * is reported, so a failed create leaves nothing behind.
 */
public final class ContainerCreate {
    /** The outcome: the container record and the init's pid (a child of this process). */
    public record Created(ContainerRecord record, int initPid) {}

    private final ContainerHost host;
    private final StateStore store;
    private final Supplier<Syscalls> syscalls;
    private final CgroupManager.Factory cgroups;
    private final HostProcesses processes;
    private final Spawner spawner;
    /** Null until the first system call is due: the steps before it run while JNA initialises. */
    private Syscalls sys;

    /** @param spawner starts the init in its namespaces ({@link InitSpawner#ON_HOST}) */
    public ContainerCreate(ContainerHost host, Spawner spawner) {
        this.host = host;
        this.store = host.store();
        this.syscalls = host.syscalls();
        this.cgroups = host.cgroups();
        this.processes = host.processes();
        this.spawner = spawner;
    }

    public Created create(CreateOptions o) {
        return create(o, CreatePlan.of(o, false));
    }

    /** Creates from a plan made by {@link CreatePlan#of(CreateOptions, boolean)} for these options. */
    public Created create(CreateOptions o, CreatePlan plan) {
        Trace.mark("cli", "planned");
        store.reserve(o.id());
        Attempt attempt = new Attempt(o, plan);
        try {
            return attempt.run();
        } catch (RuntimeException | Error e) {
            attempt.undo();
            throw e;
        }
    }

    static List<HookSpec> hooks(List<Hook> hooks) {
        List<HookSpec> out = new ArrayList<>();
        for (Hook h : Hooks.orEmpty(hooks)) {
            out.add(new HookSpec(h.path(), h.args(), h.env(), h.timeout() == null ? 0 : h.timeout()));
        }
        return out;
    }

    /** One create after the ID is claimed: every resource it takes is remembered so {@link #undo} can give it back. */
    private final class Attempt implements IdmappedMountSources.Keeper {
        private final CreateOptions o;
        private final Spec spec;
        private final NamespacePlan ns;
        private final ContainerCgroup cgroup;
        private final CgroupManager cgroupManager;
        /** The unit of the systemd driver, else null. */
        private final SystemdUnit systemdUnit;

        private final RootfsPlan rootfsPlan;
        private final List<IdmappedMount> idmappedMounts;
        private final IdMaps idMaps;
        private final ProcessPlan process;
        private final Resources resources;
        private final ContainerRecord record = new ContainerRecord();
        private final List<Integer> fds = new ArrayList<>();
        private int initPid = -1;
        /** This process's end of the sync socketpair until a SyncChannel takes it over, else -1. */
        private int syncEnd = -1;
        /** The --pidfd-socket connection, which stays in this process (the init never gets it), else -1. */
        private int pidfdSocket = -1;

        private MonitorLaunch monitor;

        Attempt(CreateOptions o, CreatePlan plan) {
            this.o = o;
            this.spec = plan.spec();
            this.ns = plan.ns();
            this.cgroup = plan.cgroup();
            this.systemdUnit = plan.systemdUnit();
            this.cgroupManager = systemdUnit == null
                    ? cgroups.forCreate(cgroup)
                    : cgroups.forCreateUnit(cgroup, systemdUnit.slice(), systemdUnit.name());
            this.rootfsPlan = plan.rootfsPlan();
            this.idmappedMounts = plan.idmappedMounts();
            this.idMaps = plan.idMaps();
            this.process = plan.process();
            this.resources = plan.resources();
            record.id = o.id();
            record.ociVersion = spec.ociVersion() == null ? "" : spec.ociVersion();
            record.bundle = plan.bundle().toString();
            record.rootfs = plan.rootfs();
            record.created = Instant.now().toString();
            record.annotations = new LinkedHashMap<>(spec.annotationsOrEmpty());
            ProcStat self = processes.self();
            record.creatorPid = self.pid();
            record.creatorStartTicks = self.startTicks();
            Hooks hooks = spec.hooks();
            record.poststartHooks = hooks(hooks == null ? null : hooks.poststart());
            record.poststopHooks = hooks(hooks == null ? null : hooks.poststop());
        }

        /**
         * The init JVM is visible to the processes of a pid namespace it joins (a pod sharing one) for as long as it
         * sets up: like the exec stage, it then runs with the runtime's files read-only (CVE-2019-5736). In a new pid
         * namespace nothing else can see it.
         */
        private List<String> runtimeToProtect() {
            return ns.joins(NamespaceKind.PID) ? InitCommand.runtimeFiles() : List.of();
        }

        /**
         * Whether the init makes the container's mount namespace itself, as a copy of this one: when it is spawned in
         * the read-only copy of {@link #runtimeToProtect}, whose mounts are all slaves, a namespace made from that
         * copy would hold slaves too, and an rshared bind in it would never reach the host. In a new or joined user
         * namespace the init cannot enter this one, and there the kernel makes every copied mount a slave anyway.
         */
        private boolean copiesRuntimeMountNamespace() {
            return !runtimeToProtect().isEmpty()
                    && ns.creates(NamespaceKind.MOUNT)
                    && !ns.creates(NamespaceKind.USER)
                    && !ns.joins(NamespaceKind.USER);
        }

        Created run() {
            store.save(record);
            copyConfig();
            // a systemd scope cannot exist without a process: it is made around the init once that says HELLO
            boolean aroundInit = cgroupManager.madeAroundProcess();
            if (aroundInit) {
                // recorded first, so that a create killed from here on leaves a container whose delete stops the unit
                record.systemdUnit = systemdUnit.name();
                record.cgroupPaths = new LinkedHashMap<>(cgroupManager.paths());
                store.save(record);
            } else {
                cgroupManager.create();
                recordCgroup();
                for (String warning : cgroupManager.apply(resources)) {
                    Log.warn(warning);
                }
            }
            // everything up to here is plain file work; from here on every step is a system call
            sys = syscalls.get();
            Trace.mark("cli", "system calls ready");
            int fifo = makeFifo();
            boolean newCgroupNs = ns.creates(NamespaceKind.CGROUP);
            // the manager's directories: none when a rootless caller could write no cgroup (ContainerCgroup); a new
            // cgroup namespace is then rooted where this process is, and nothing moves between cgroups
            // (and none under the systemd driver, which puts the init in them; the init then makes the namespace)
            int[] containerProcs =
                    aroundInit ? new int[0] : openProcs(cgroupManager.paths().values());
            int[] originProcs = newCgroupNs && containerProcs.length > 0 ? openProcs(ownCgroupDirs()) : new int[0];
            if (o.attachable()) {
                startMonitor();
            }
            int console = !process.terminal() ? -1 : monitor != null ? monitor.consoleFd() : connectConsole();
            int listener = process.seccomp() != null && process.seccomp().usesNotify() ? connectListener() : -1;
            if (o.pidfdSocket() != null) {
                pidfdSocket = PidfdSocket.connect(sys, o.pidfdSocket());
            }
            int log = openLog();
            int[] mountSources = IdmappedMountSources.prepare(
                    sys, idmappedMounts, rootfsPlan.mounts().size(), this);
            int[] pair = keep(sys.socketpair(AF_UNIX, SOCK_STREAM));
            syncEnd = pair[0];
            // A pod's pid namespace is joined by the container's process only, which the init clones into it after
            // pivot_root: the init, which has the host's view until then, is never visible there. Its /proc needs
            // procfs's pidns option (Linux 6.15); an older kernel gets the init spawned into it, as runc does, and so
            // does a seccomp notify listener, which the init sends with the process's pid before it exists.
            int podPidNamespace = ns.joins(NamespaceKind.PID) && KernelRelease.atLeast(6, 15) && listener < 0
                    ? keep(sys.open(ns.joined().get(NamespaceKind.PID), O_RDONLY, 0))
                    : -1;
            int sharedMountNamespace = openSharedMountNamespace();
            boolean copiesRuntimeMountNamespace = copiesRuntimeMountNamespace();
            int runtimeMountNamespace =
                    copiesRuntimeMountNamespace ? keep(sys.open("/proc/self/ns/mnt", O_RDONLY, 0)) : -1;
            InitFds initFds = InitFds.builder()
                    .fifo(fifo)
                    .console(console)
                    .seccompListener(listener)
                    .log(log)
                    .containerCgroupProcs(containerProcs)
                    .pidNamespace(podPidNamespace)
                    .mountNamespace(sharedMountNamespace)
                    .runtimeMountNamespace(runtimeMountNamespace)
                    .mountSources(mountSources)
                    .build();
            int[] pass = passList(pair[1], initFds);
            NamespacePlan spawnNamespaces = ns.withoutJoining(NamespaceKind.MOUNT);
            if (podPidNamespace >= 0) {
                spawnNamespaces = spawnNamespaces.withoutJoining(NamespaceKind.PID);
            }
            SpawnRequest req = SpawnRequest.builder()
                    .argv(InitCommand.build("org.jrunc.stage.InitMain", Integer.toString(pair[1])))
                    .envp(InitCommand.environment())
                    .namespaces(spawnNamespaces)
                    .idMaps(idMaps)
                    .timeOffsets(spec.linux().timeOffsets())
                    .passFds(pass)
                    .cgroupNamespaceRoot(containerProcs)
                    .cgroupOrigin(originProcs)
                    .skip(aroundInit ? EnumSet.of(NamespaceKind.CGROUP) : EnumSet.noneOf(NamespaceKind.class))
                    .readonlyRuntime(runtimeToProtect())
                    .skip(
                            copiesRuntimeMountNamespace
                                    ? EnumSet.of(NamespaceKind.MOUNT)
                                    : EnumSet.noneOf(NamespaceKind.class))
                    .stdio(monitor == null ? null : monitor.initStdio())
                    .build();
            Trace.mark("cli", "spawning init");
            InitSpawner.Spawned spawned = spawner.spawn(sys, req);
            Trace.mark("cli", "init spawned");
            initPid = spawned.pid();
            if (spawned.retries() > 0) {
                Log.debug("init started after " + spawned.retries() + " clone retries");
            }
            closeAll();
            if (monitor != null) {
                monitor.closeInitSide();
            }
            SyncChannel channel = new SyncChannel(sys, pair[0]);
            syncEnd = -1; // the channel closes it
            try {
                recordInit(channel, spawned.pid());
                Trace.mark("cli", "hello received");
                if (aroundInit) {
                    makeCgroupAroundInit();
                }
                moveNetDevices();
                channel.sendPlan(initPlan(initFds, aroundInit && newCgroupNs));
                Trace.mark("cli", "plan sent");
                converse(channel);
                Trace.mark("cli", "init ready");
                if (monitor != null) {
                    // after READY, which names the container's process when it is not the init (a pod's pid namespace)
                    monitor.tellInit(initPid, record.initStartTicks);
                }
            } finally {
                channel.close();
            }
            if (monitor != null) {
                monitor.awaitReady();
                Trace.mark("cli", "monitor ready");
            }
            if (pidfdSocket >= 0) {
                // the container's process: the init, or the one it cloned into a pod's pid namespace (READY)
                PidfdSocket.send(sys, pidfdSocket, initPid, PidfdSocket.CREATE);
                sys.close(pidfdSocket);
                pidfdSocket = -1;
            }
            if (o.pidFile() != null && !o.pidFile().isEmpty()) {
                PidFile.write(o.pidFile(), initPid);
            }
            record.createComplete = true;
            store.save(record);
            return new Created(record, initPid);
        }

        private void recordCgroup() {
            record.cgroupPaths = new LinkedHashMap<>(cgroupManager.paths());
            record.createdCgroups = new ArrayList<>(cgroupManager.createdDirs());
            store.save(record);
        }

        /**
         * The systemd driver's cgroup, made with the init in it, as runc starts its scope with runc init's pid. From
         * here on the init JVM is charged to the container's limits: what it touches until execve counts.
         */
        private void makeCgroupAroundInit() {
            List<String> warnings = cgroupManager.createAround(initPid, resources);
            recordCgroup();
            Trace.mark("cli", "systemd unit started");
            for (String warning : warnings) {
                Log.warn(warning);
            }
        }

        /** linux.netDevices, into the init's network namespace, before it gets its plan. */
        private void moveNetDevices() {
            Map<String, NetDevice> devices = spec.linux().netDevices();
            if (devices == null || devices.isEmpty()) {
                return;
            }
            int netns = sys.open("/proc/" + initPid + "/ns/net", O_RDONLY | O_CLOEXEC, 0);
            try {
                NetDevices.moveInto(sys, devices, netns);
            } finally {
                sys.close(netns);
            }
        }

        /** --attachable: the monitor is recorded at once, so that a failed create (or delete) finds and ends it. */
        private void startMonitor() {
            monitor = MonitorLaunch.start(sys, store.dir(o.id()), process.terminal());
            record.monitorPid = monitor.pid();
            record.monitorStartTicks = monitor.startTicks();
            store.save(record);
            Trace.mark("cli", "monitor spawned");
        }

        /** The init introduces itself with its host pid; a spawn through a sibling clone only learns it this way. */
        private void recordInit(SyncChannel channel, int spawnedPid) {
            SyncChannel.Frame hello = channel.receive();
            if (hello == null || hello.type() != SyncChannel.Type.HELLO) {
                throw new JruncException(
                        "container init exited before it started" + (spawnedPid > 0 ? initExitStatus() : ""));
            }
            int pid = Integer.parseInt(hello.text().trim());
            if (spawnedPid > 0 && pid != spawnedPid) {
                throw new JruncException("container init reported pid " + pid + ", expected " + spawnedPid);
            }
            recordProcess(pid);
        }

        /**
         * The container's process: the init (HELLO), or, in a joined pid namespace, the process the init cloned there
         * as this process's child (READY).
         */
        private void recordProcess(int pid) {
            initPid = pid;
            ProcStat st = processes.stat(pid);
            record.initPid = pid;
            record.initStartTicks = st == null ? 0 : st.startTicks();
            store.save(record);
        }

        /** @param unshareCgroupNamespace the init makes the container's cgroup namespace itself */
        private InitPlan initPlan(InitFds initFds, boolean unshareCgroupNamespace) {
            Hooks hooks = spec.hooks();
            boolean runtimeHooks = hooks != null
                    && (!Hooks.orEmpty(hooks.prestart()).isEmpty()
                            || !Hooks.orEmpty(hooks.createRuntime()).isEmpty());
            Map<String, Object> state = StateView.forHooks(record, "creating", 0);
            return InitPlan.builder()
                    .containerId(o.id())
                    .rootfs(rootfsPlan)
                    .process(process)
                    .hostname(emptyToNull(spec.hostname()))
                    .domainname(emptyToNull(spec.domainname()))
                    .sysctl(
                            spec.linux().sysctl() == null
                                    ? Map.of()
                                    : new LinkedHashMap<>(spec.linux().sysctl()))
                    .oomScoreAdj(spec.process().oomScoreAdj())
                    .createContainerHooks(hooks(hooks == null ? null : hooks.createContainer()))
                    .startContainerHooks(hooks(hooks == null ? null : hooks.startContainer()))
                    .runtimeHooks(runtimeHooks)
                    .stateJson(new LinkedHashMap<>(state))
                    .logJson(o.logJson())
                    .fds(initFds)
                    .loopbackUp(ns.creates(NamespaceKind.NETWORK))
                    .unshareCgroupNamespace(unshareCgroupNamespace)
                    .build();
        }

        private void converse(SyncChannel channel) {
            while (true) {
                SyncChannel.Frame f = channel.receive();
                if (f == null) {
                    throw new JruncException("container init exited before it was ready" + initExitStatus());
                }
                switch (f.type()) {
                    case WARN:
                        Log.warn(f.text());
                        break;
                    case RUN_HOOKS:
                        runRuntimeHooks(channel);
                        break;
                    case READY:
                        if (!f.text().isEmpty()) {
                            recordProcess(Integer.parseInt(f.text().trim()));
                        }
                        return;
                    case ERROR:
                        throw new JruncException(f.text());
                    default:
                        throw new JruncException("unexpected message from the container init: " + f.type());
                }
            }
        }

        /** prestart and createRuntime: in the runtime's namespaces, after the mounts, before pivot_root. */
        private void runRuntimeHooks(SyncChannel channel) {
            Hooks hooks = spec.hooks();
            // "created", as crun sends and the runtime-tools conformance tests expect (runc sends "creating"): the
            // runtime-spec's lifecycle runs these hooks in steps 3 and 4, after the runtime environment was made in
            // step 2, and its state section calls a container "creating" during step 2 and "created" after it
            String state = JsonWriter.compact(StateView.forHooks(record, "created", initPid));
            try {
                HookPhases runner = host.hooks().over(sys);
                runner.runAll("prestart", hooks(hooks.prestart()), state);
                runner.runAll("createRuntime", hooks(hooks.createRuntime()), state);
            } catch (RuntimeException e) {
                channel.send(SyncChannel.Type.ERROR, e.getMessage());
                throw e;
            }
            channel.send(SyncChannel.Type.HOOKS_DONE, new byte[0]);
        }

        private String initExitStatus() {
            try {
                int[] w = sys.waitpid(initPid, 0);
                int status = w[1];
                initPid = -1;
                return " (" + WaitStatus.describe(status) + ")";
            } catch (SyscallException e) {
                return "";
            }
        }

        private void copyConfig() {
            try {
                Files.copy(Path.of(record.bundle, "config.json"), store.configCopy(o.id()));
            } catch (IOException e) {
                throw new JruncException("cannot keep a copy of config.json: " + e.getMessage());
            }
        }

        /** exec.fifo, 0622, and an O_PATH descriptor of it for the init (which never sees the state directory). */
        private int makeFifo() {
            String path = store.fifo(o.id()).toString();
            sys.mknodat(AT_FDCWD, path, FileStat.S_IFIFO | 0622, 0);
            int fd = keep(sys.open(path, O_PATH, 0));
            sys.fchmod(fd, 0622);
            return fd;
        }

        private int[] openProcs(Collection<String> dirs) {
            List<Integer> out = new ArrayList<>();
            for (String dir : new LinkedHashSet<>(dirs)) {
                out.add(keep(sys.open(dir + "/cgroup.procs", O_WRONLY, 0)));
            }
            return IntArrays.of(out);
        }

        /** This process's cgroups in the hierarchies the container has one in (a rootless container may lack some). */
        private List<String> ownCgroupDirs() {
            List<String> dirs = new ArrayList<>();
            Map<String, String> own = cgroup.layout().ownPaths();
            for (Hierarchy h : cgroup.layout().hierarchies()) {
                String p = own.get(h.key());
                if (p != null && cgroup.dirs().containsKey(h.key())) {
                    dirs.add(h.dirOf(p));
                }
            }
            return dirs;
        }

        private int connectConsole() {
            try {
                return keep(sys.connectUnix(o.consoleSocket(), SOCK_STREAM));
            } catch (SyscallException e) {
                throw new JruncException("--console-socket " + o.consoleSocket() + ": " + e.getMessage());
            }
        }

        /** linux.seccomp.listenerPath: connected now so a missing agent fails the create, used right before exec. */
        private int connectListener() {
            String path = spec.linux().seccomp().listenerPath();
            try {
                return keep(sys.connectUnix(path, SOCK_STREAM));
            } catch (SyscallException e) {
                throw new JruncException("linux.seccomp.listenerPath " + path + ": " + e.getMessage());
            }
        }

        private int openLog() {
            if (o.logFile() == null || o.logFile().isEmpty()) {
                return -1;
            }
            try {
                return keep(sys.open(o.logFile(), O_WRONLY | O_APPEND | O_CREAT, 0644));
            } catch (SyscallException e) {
                return -1;
            }
        }

        /**
         * A container without a new mount namespace shares the runtime's or joins one by path. The init is not spawned
         * into it: java and jrunc's files need not exist in a joined one, and the init of a pod container starts in a
         * namespace of its own (runtimeToProtect). It enters the namespace open here once its JVM runs. In the
         * runtime's, the mounts already at or below the rootfs are noted first: delete removes the others.
         */
        private int openSharedMountNamespace() {
            if (ns.creates(NamespaceKind.MOUNT)) {
                return -1;
            }
            if (ns.joins(NamespaceKind.MOUNT)) {
                record.mountNamespace = ContainerRecord.JOINED;
                store.save(record);
                return keep(NamespaceFiles.open(
                        sys, NamespaceKind.MOUNT, ns.joined().get(NamespaceKind.MOUNT)));
            }
            record.mountNamespace = ContainerRecord.INHERITED;
            record.rootfsMountsBefore = SharedNamespaceMounts.idsAtOrBelow(MountTable.current(), record.rootfs);
            store.save(record);
            return keep(sys.open("/proc/self/ns/mnt", O_RDONLY, 0));
        }

        private int[] passList(int sync, InitFds f) {
            List<Integer> pass = new ArrayList<>();
            pass.add(sync);
            pass.add(f.fifo());
            if (f.console() >= 0) {
                pass.add(f.console());
            }
            if (f.seccompListener() >= 0) {
                pass.add(f.seccompListener());
            }
            if (f.log() >= 0) {
                pass.add(f.log());
            }
            for (int fd : f.containerCgroupProcs()) {
                pass.add(fd);
            }
            if (f.pidNamespace() >= 0) {
                pass.add(f.pidNamespace());
            }
            if (f.mountNamespace() >= 0) {
                pass.add(f.mountNamespace());
            }
            if (f.runtimeMountNamespace() >= 0) {
                pass.add(f.runtimeMountNamespace());
            }
            for (int fd : f.mountSources()) {
                if (fd >= 0) {
                    pass.add(fd);
                }
            }
            for (int fd = 3; fd < 3 + process.preserveFds(); fd++) {
                pass.add(fd);
            }
            return IntArrays.of(pass);
        }

        @Override
        public int keep(int fd) {
            fds.add(fd);
            return fd;
        }

        private int[] keep(int[] pair) {
            fds.add(pair[1]);
            return pair;
        }

        /** Closes this process's copies of what it handed to the init. */
        private void closeAll() {
            for (int fd : fds) {
                sys.close(fd);
            }
            fds.clear();
        }

        void undo() {
            closeAll();
            if (syncEnd >= 0) {
                sys.close(syncEnd);
            }
            if (pidfdSocket >= 0) {
                sys.close(pidfdSocket);
            }
            if (monitor != null) {
                monitor.kill();
            }
            if (initPid > 0) {
                sys.killAndReap(initPid);
            }
            try {
                cgroupManager.destroy();
            } catch (RuntimeException e) {
                Log.warn(e.getMessage());
            }
            if (record.mountNamespace.equals(ContainerRecord.INHERITED)) {
                SharedNamespaceMounts.unmountAdded(sys, record.rootfs, record.rootfsMountsBefore);
            }
            store.remove(o.id());
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
