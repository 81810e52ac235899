package org.jrunc.tools;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jrunc.Pause;
import org.jrunc.caps.CapabilityPlan;
import org.jrunc.cgroups.CgroupLayout;
import org.jrunc.cgroups.CgroupStats;
import org.jrunc.cgroups.Hierarchy;
import org.jrunc.cgroups.manager.CgroupResources;
import org.jrunc.cgroups.manager.CgroupfsManagers;
import org.jrunc.cli.FastPath;
import org.jrunc.cli.JruncCli;
import org.jrunc.config.Spec;
import org.jrunc.config.SpecLoader;
import org.jrunc.config.SpecTemplate;
import org.jrunc.container.CreateOptions;
import org.jrunc.container.CreatePlan;
import org.jrunc.json.Json;
import org.jrunc.json.JsonWriter;
import org.jrunc.log.Log;
import org.jrunc.process.InitCommand;
import org.jrunc.process.LinuxProcesses;
import org.jrunc.process.ProcStat;
import org.jrunc.process.Signals;
import org.jrunc.stage.protocol.ExecPlan;
import org.jrunc.stage.protocol.InitPlan;
import org.jrunc.stage.protocol.PlanCodec;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.StateView;
import org.jrunc.state.Status;
import org.jrunc.state.StatusProbe;
import org.jrunc.sys.FdGaps;
import org.jrunc.sys.LinuxSyscalls;

/**
 * The training run for the class-data archive built at package time (scripts/build-archives.sh): it walks the code
 * paths of the CLI and of the init stage without touching the system (no container is created), so the archive holds
 * the classes real calls load. It is not part of any command.
 */
public final class Training {
    /** The status probe of the hot commands, on this host. */
    private static final StatusProbe PROBE = new StatusProbe(LinuxProcesses.HOST, CgroupfsManagers.HOST);

    private Training() {}

    /** The archives bin/jrunc chooses by command: each holds what its commands load, and nothing else. */
    enum Archive {
        /** `state`, the call containerd and podman make most. */
        STATE(List.of("state"), List.of("state training")),
        /** start, kill and delete (and state, for a launcher without the state archive). */
        HOT(
                List.of("state", "start", "delete", "kill"),
                List.of("state training", "start training", "kill training", "delete -f training")),
        /** pause, resume, ps, list, events and update: managing a running container. */
        MANAGE(
                List.of("pause", "resume", "ps", "events", "update"),
                List.of(
                        "pause training",
                        "resume training",
                        "ps training",
                        "ps --format json training",
                        "events --stats training",
                        "update --memory 64m --pids-limit 100 --cpu-quota 50000 --cpu-period 100000 training",
                        "list",
                        "list --format json",
                        "list -q"));

        /** Commands run against a root that does not exist: their refusals. */
        final List<String> refused;
        /** Command lines run against a real state.json of a container "training" whose init is this process. */
        final List<String> onAContainer;

        Archive(List<String> refused, List<String> onAContainer) {
            this.refused = refused;
            this.onAContainer = onAContainer;
        }
    }

    /**
     * A small archive for some hot commands, because an AOT cache loads every class it holds at start-up, so the
     * full archive would make `state` pay for picocli and jackson, and each command for what the others load.
     */
    static void hot(Archive archive) {
        PrintStream realOut = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        try {
            ContainerRecord r = new ContainerRecord();
            r.id = "training";
            r.annotations = Map.of("a", "b");
            ContainerRecord back = ContainerRecord.fromJson(r.toJson());
            Json.parse(JsonWriter.pretty(StateView.of(back, Status.RUNNING)));
            PROBE.status(back, Path.of("/nonexistent"));
            ProcStat.read((int) ProcessHandle.current().pid());
            Log.jsonLineForTraining();
            for (String cmd : archive.refused) {
                FastPath.tryRun(new String[] {"--root", "/nonexistent/jrunc-training", cmd, "x"});
            }
            callsOnAContainer(back, archive.onAContainer);
            if (archive == Archive.MANAGE) {
                back.initPid = (int) ProcessHandle.current().pid();
                back.initStartTicks = ProcStat.read(back.initPid).startTicks();
                callsOnAContainer(back, archive.onAContainer);
                statisticsOfOwnCgroups();
            }
            stateOfALiveContainer();
            if (archive == Archive.HOT) {
                Signals.parse("KILL");
                // delete's wait for the processes of a container it killed
                Pause.millis(0);
            }
        } finally {
            System.setOut(realOut);
        }
    }

    /**
     * `events --stats` reads a container's cgroup files, which the training's stand-in directories do not have: it
     * reads this process's own cgroups instead (read only), so the parsers of this host's kind of hierarchy are in
     * the archive.
     */
    private static void statisticsOfOwnCgroups() {
        try {
            CgroupLayout layout = CgroupLayout.detect();
            Map<String, String> own = layout.ownPaths();
            Map<String, String> dirs = new LinkedHashMap<>();
            for (Hierarchy h : layout.hierarchies()) {
                String path = own.get(h.key());
                if (path != null) {
                    dirs.put(h.key(), h.dirOf(path));
                }
            }
            JsonWriter.compact(CgroupStats.event("stats", "training", CgroupStats.read(dirs)));
        } catch (RuntimeException e) {
            // a host without cgroups: a smaller archive
        }
    }

    /**
     * {@code commands} (`state`, `start` and `kill`, refused: it has stopped, `delete -f`, ...) on a real state.json
     * in a private temporary root, with plain directories standing in for its cgroups: the classes these calls
     * really load. With the record's init alive (this process), the calls that read its processes read them.
     */
    private static void callsOnAContainer(ContainerRecord r, List<String> commands) {
        // java.io.File, not Files.walk and friends: whatever this loads, every hot call preloads from the archive
        File root = new File(
                System.getProperty("java.io.tmpdir"),
                "jrunc-training-" + ProcessHandle.current().pid());
        File dir = new File(root, r.id);
        File state = new File(dir, StateStore.STATE_FILE);
        File parent = new File(root, "cgroup");
        File cgroup = new File(parent, r.id);
        try {
            if (dir.mkdirs() && cgroup.mkdirs()) {
                r.createComplete = true;
                r.cgroupPaths = Map.of("training", cgroup.getPath());
                r.createdCgroups = List.of(parent.getPath(), cgroup.getPath());
                Files.writeString(state.toPath(), r.toJson());
                for (String cmd : commands) {
                    List<String> argv = new ArrayList<>(List.of("--root", root.getPath()));
                    argv.addAll(List.of(cmd.split(" ")));
                    FastPath.tryRun(argv.toArray(new String[0]));
                }
            }
        } catch (IOException e) {
            // a training run without a writable temporary directory only makes a smaller archive
        } finally {
            for (File f : new File[] {state, dir, cgroup, parent, root}) {
                f.delete();
            }
        }
    }

    /** A record whose init is this very process, so the probe goes on to the freezer and exec.fifo. */
    private static void stateOfALiveContainer() {
        ContainerRecord live = new ContainerRecord();
        live.id = "training-live";
        live.createComplete = true;
        live.initPid = (int) ProcessHandle.current().pid();
        live.initStartTicks = ProcStat.read(live.initPid).startTicks();
        live.cgroupPaths = Map.of("freezer", "/nonexistent/jrunc-training");
        PROBE.status(live, Path.of("/nonexistent/jrunc-training/exec.fifo"));
        live.cgroupPaths = Map.of("unified", "/nonexistent/jrunc-training");
        PROBE.status(live, Path.of("/nonexistent/jrunc-training/exec.fifo"));
    }

    /**
     * Classes that create, start, delete, exec and the stages load but the training cannot reach, since it starts no
     * container. Loading them is enough for the archive to hold them; each one missing costs a read from the jar and
     * bytecode verification in every call that needs it. TrainingTest checks that every name exists.
     */
    static final List<String> UNREACHED_CLASSES = List.of(
            "org.jrunc.container.ContainerCreate$Attempt",
            "org.jrunc.container.ContainerCreate$Created",
            "org.jrunc.container.ContainerCreate$1",
            "org.jrunc.container.ContainerStart",
            "org.jrunc.container.ContainerStart$1",
            "org.jrunc.container.ChildWaiter",
            "org.jrunc.container.ContainerDelete",
            "org.jrunc.cgroups.systemd.SystemdCgroupManagers",
            "org.jrunc.cgroups.systemd.SystemdCgroupManagers$SystemBus",
            "org.jrunc.cgroups.systemd.SystemdBus$Opener",
            "org.jrunc.container.ContainerRun",
            "org.jrunc.container.ContainerExec",
            "org.jrunc.terminal.ForegroundTerminal",
            "org.jrunc.container.ContainerCreate",
            "org.jrunc.container.IdmappedMountSources",
            "org.jrunc.container.IdmappedMountSources$Keeper",
            "org.jrunc.container.ContainerRun$SubreaperFirst",
            "org.jrunc.container.ChildWaiter$Forwarder",
            "org.jrunc.process.InitSpawner$SpawnThread",
            "org.jrunc.process.InheritedFds$1",
            "org.jrunc.sys.SyscallsOnDemand",
            "org.jrunc.state.StatusProbe",
            "org.jrunc.namespaces.Rootless",
            "org.jrunc.cgroups.manager.Freezer",
            "org.jrunc.cgroups.v1.V1Freezer",
            "org.jrunc.cgroups.v2.V2Freezer",
            "org.jrunc.cgroups.FreezerFiles",
            "org.jrunc.cgroups.manager.CgroupResources$1",
            "org.jrunc.stage.ContainerInit$Callbacks",
            "org.jrunc.process.SpawnRequest",
            "org.jrunc.process.SpawnRequest$Builder",
            "org.jrunc.process.InitSpawner",
            "org.jrunc.process.InitSpawner$Spawned",
            "org.jrunc.process.InitSpawner$OnHost",
            "org.jrunc.process.Spawner",
            "org.jrunc.process.InheritedFds",
            "org.jrunc.process.InheritedFds$Spawn",
            "org.jrunc.process.WatchdogClone",
            "org.jrunc.namespaces.IdMaps",
            "org.jrunc.process.SpawnFdTable",
            "org.jrunc.process.SpawnFdTable$Fate",
            "org.jrunc.process.SpawnFdTable$1",
            "org.jrunc.sys.PosixSpawn",
            "org.jrunc.sys.NativeStrings",
            "org.jrunc.sys.FdGaps",
            "org.jrunc.sys.FdGaps$Range",
            "org.jrunc.sys.ForkChain",
            "org.jrunc.stage.protocol.SyncChannel",
            "org.jrunc.stage.protocol.SyncChannel$Type",
            "org.jrunc.stage.protocol.SyncChannel$Frame",
            "org.jrunc.stage.InitMain",
            "org.jrunc.stage.ExecMain",
            "org.jrunc.stage.ContainerInit",
            "org.jrunc.stage.ProcessExecutor",
            "org.jrunc.stage.ProcessExecutor$SeccompListener",
            "org.jrunc.stage.ProcessExecutor$Launcher",
            "org.jrunc.stage.ProcessExecutor$ExecInPlace",
            "org.jrunc.stage.ExecAsSibling",
            "org.jrunc.stage.ExecMain$Warnings",
            "org.jrunc.stage.ExecveOutcome",
            "org.jrunc.stage.ProcessInJoinedPidNamespace",
            "org.jrunc.sys.PreparedExec",
            "org.jrunc.sys.PreparedSibling",
            "org.jrunc.sys.KernelRelease",
            "org.jrunc.stage.ExecutableLookup",
            "org.jrunc.rootfs.RootfsSetup",
            "org.jrunc.rootfs.RootPaths",
            "org.jrunc.rootfs.MountTarget",
            "org.jrunc.rootfs.CgroupMounts",
            "org.jrunc.rootfs.DevSetup",
            "org.jrunc.rootfs.PathProtection",
            "org.jrunc.rootfs.RootJail",
            "org.jrunc.rootfs.TmpfsCopyUp",
            "org.jrunc.network.Loopback",
            "org.jrunc.network.RouteSocket",
            "org.jrunc.network.RouteMessages",
            "org.jrunc.network.RouteMessages$Reply",
            "org.jrunc.sys.CapSets",
            "org.jrunc.sys.Errno",
            "org.jrunc.sys.FileStat",
            "org.jrunc.sys.StatFs",
            "org.jrunc.sys.MountFlags",
            "org.jrunc.hooks.HookRunner",
            "org.jrunc.hooks.HookException",
            "org.jrunc.caps.CapabilityReconciler",
            "org.jrunc.caps.CapabilityReconciler$Result",
            "org.jrunc.sys.JnaWarmUp",
            "org.jrunc.sys.WaitStatus",
            "org.jrunc.Pause");

    /** The spawn path's pure parts, run, and {@link #UNREACHED_CLASSES}, loaded. */
    private static void spawnPath() throws ClassNotFoundException {
        FdGaps.of(new int[] {9, 4, 3});
        InitCommand.build("org.jrunc.stage.InitMain", "3");
        ProcStat.self();
        for (String name : UNREACHED_CLASSES) {
            Class.forName(name, false, Training.class.getClassLoader());
        }
    }

    public static void main(String[] args) throws Exception {
        // the real entry point is not this class: without these, every call would load Main (and what it calls
        // first) from the jar, opening and verifying it, ~7 ms
        Class.forName("org.jrunc.Main", false, Training.class.getClassLoader());
        Class.forName("org.jrunc.container.ContainerStart$FifoReader", false, Training.class.getClassLoader());
        if (args.length > 0 && args[0].equals("images")) {
            ImageTraining.run();
            return;
        }
        if (args.length > 0) {
            hot(Archive.valueOf(args[0].toUpperCase(Locale.ROOT)));
            return;
        }
        PrintStream realOut = System.out;
        PrintStream devNull = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(devNull);
        System.setErr(devNull);
        try {
            String config = JsonWriter.pretty(SpecTemplate.create());
            Spec spec = SpecLoader.read(
                    new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)), "config.json", Spec.class);
            CapabilityPlan.parse(spec.process().capabilities(), "process.capabilities");
            ContainerRecord r = new ContainerRecord();
            r.id = "training";
            r.annotations = Map.of("a", "b");
            ContainerRecord back = ContainerRecord.fromJson(r.toJson());
            Json.parse(JsonWriter.pretty(StateView.of(back, Status.RUNNING)));
            Log.jsonLineForTraining();
            LinuxSyscalls.get().getpid();
            InitPlan plan = SamplePlan.create();
            PlanCodec.decodeInitPlan(PlanCodec.encode(plan));
            PlanCodec.decodeExecPlan(PlanCodec.encode(ExecPlan.builder()
                    .process(plan.process())
                    .mountNamespace(5)
                    .cgroupProcs(new int[] {6})
                    .console(-1)
                    .pidNamespace(-1)
                    .seccompListener(-1)
                    .build()));
            planACreate();
            spawnPath();
            for (String command : List.of("create", "start", "state", "kill", "delete", "run", "list", "spec")) {
                JruncCli.run(new String[] {command, "--help"});
            }
            JruncCli.run(new String[] {"--version"});
            FastPath.tryRun(new String[] {"--root", "/nonexistent/jrunc-training", "state", "x"});
            // the hand-parsed create, run and exec, up to their first check (no bundle, no container)
            String[][] plain = {
                {"create", "--bundle", "/nonexistent/jrunc-training", "--pid-file", "/nonexistent/p", "x"},
                {"run", "-d", "--bundle", "/nonexistent/jrunc-training", "x"},
                {"exec", "--process", "/nonexistent/p.json", "--detach", "-e", "A=1", "x"},
            };
            for (String[] call : plain) {
                String[] withRoot = new String[call.length + 2];
                withRoot[0] = "--root";
                withRoot[1] = "/nonexistent/jrunc-training";
                System.arraycopy(call, 0, withRoot, 2, call.length);
                FastPath.tryRun(withRoot);
            }
        } finally {
            System.setOut(realOut);
        }
    }

    /**
     * create's planning (config.json, validation, cgroup layout and limits, rootfs plan, seccomp through libseccomp) on
     * a throw-away bundle: side-effect free, and most of the classes a real create loads.
     */
    private static void planACreate() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jrunc-training");
            Files.createDirectory(dir.resolve("rootfs"));
            Map<String, Object> spec = SpecTemplate.create();
            @SuppressWarnings("unchecked")
            Map<String, Object> process = (Map<String, Object>) spec.get("process");
            process.put("terminal", false);
            @SuppressWarnings("unchecked")
            Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
            linux.put(
                    "seccomp",
                    Json.parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                            + "\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":"
                            + "[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":8,"
                            + "\"op\":\"SCMP_CMP_EQ\"}]}]}"));
            linux.put(
                    "resources",
                    Json.parse("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],"
                            + "\"memory\":{\"limit\":67108864},\"pids\":{\"limit\":100},\"cpu\":{\"shares\":512}}"));
            Files.writeString(dir.resolve("config.json"), JsonWriter.pretty(spec));
            // create's cgroup step up to its first write: the host's resource writers, and the manager
            CgroupResources.host();
            CreatePlan plan = CreatePlan.of(new CreateOptions(
                    "training", dir, null, null, null, false, false, 0, "", false, false, false, false));
            CgroupfsManagers.HOST.forCreate(plan.cgroup());
            // create's first steps: the state directory, state.json (temp file and atomic rename), config.json's copy
            StateStore store = new StateStore(dir.resolve("state").toString());
            store.reserve("training");
            ContainerRecord record = new ContainerRecord();
            record.id = "training";
            store.save(record);
            Files.copy(dir.resolve("config.json"), store.configCopy("training"));
            store.remove("training");
            // run's signal forwarding registers handlers; the default one changes nothing here
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sun.misc.SignalHandler.SIG_DFL);
        } catch (Throwable t) {
            // training covers what it can; a host without libseccomp or cgroups still gets an archive
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Removes a training's temporary directory, ignoring what cannot be removed. */
    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp directory
        }
    }
}
