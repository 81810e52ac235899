package org.jrunc.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupCaller;
import org.jrunc.cgroups.CgroupLayout;
import org.jrunc.cgroups.ContainerCgroup;
import org.jrunc.cgroups.KernelCgroupFiles;
import org.jrunc.cgroups.systemd.SystemdUnit;
import org.jrunc.config.ConfigException;
import org.jrunc.config.IdMapping;
import org.jrunc.config.Linux;
import org.jrunc.config.ProcessConfig;
import org.jrunc.config.Resources;
import org.jrunc.config.Spec;
import org.jrunc.config.SpecLoader;
import org.jrunc.log.Log;
import org.jrunc.log.Trace;
import org.jrunc.lsm.LsmHost;
import org.jrunc.lsm.LsmLabels;
import org.jrunc.namespaces.IdMaps;
import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.namespaces.NamespacePlan;
import org.jrunc.namespaces.Rootless;
import org.jrunc.rootfs.IdmappedMount;
import org.jrunc.rootfs.RootfsPlan;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.state.StateStore;

/**
 * Everything `create` decides before it claims the ID: config.json read and checked completely, the namespaces, the
 * cgroup, the rootfs and the process planned; nothing on the system touched yet.
 */
public record CreatePlan(
        Spec spec,
        Path bundle,
        String rootfs,
        NamespacePlan ns,
        ContainerCgroup cgroup,
        SystemdUnit systemdUnit,
        RootfsPlan rootfsPlan,
        List<IdmappedMount> idmappedMounts,
        IdMaps idMaps,
        ProcessPlan process,
        Resources resources) {

    /** Reads and validates the bundle; no side effects (the AOT training run calls it too). */
    public static CreatePlan of(CreateOptions o) {
        return of(o, false);
    }

    /**
     * @param terminalProxied the caller (a foreground `run`) will provide the console socket itself if the process
     *                        wants a terminal
     */
    public static CreatePlan of(CreateOptions o, boolean terminalProxied) {
        StateStore.validateId(o.id());
        Path bundle = o.bundle().toAbsolutePath().normalize();
        Path configFile = bundle.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException(configFile + ": no such file (is " + bundle + " an OCI bundle?)");
        }
        Trace.mark("cli", "create");
        Spec spec = SpecLoader.loadSpec(configFile);
        Trace.mark("cli", "config loaded");
        Linux linux = spec.linux();
        NamespacePlan ns = NamespacePlan.parse(linux == null ? List.of() : linux.namespacesOrEmpty());
        SpecValidator.validate(spec, ns);
        int listenFds = listenFds();
        boolean consoleSocket = o.consoleSocket() != null && !o.consoleSocket().isEmpty();
        if (o.attachable() && consoleSocket) {
            throw new JruncException("--attachable and --console-socket exclude each other: with --attachable the "
                    + "monitor receives the pty master");
        }
        if (spec.process() != null
                && spec.process().isTerminal()
                && !consoleSocket
                && !o.attachable()
                && !terminalProxied) {
            throw new JruncException("cannot allocate tty if jrunc will detach without setting console socket");
        }
        if (spec.process() != null
                && !spec.process().isTerminal()
                && o.consoleSocket() != null
                && !o.consoleSocket().isEmpty()) {
            throw new JruncException("cannot use console socket if jrunc will not provide a terminal");
        }
        if (LsmLabels.selinux(linux.mountLabel(), "linux.mountLabel", LsmHost.current(), Log::warn) != null) {
            throw new ConfigException(
                    "config.json: field linux.mountLabel: SELinux mount labels are not supported by " + "jrunc yet");
        }
        Rootless caller = Rootless.ofSelf();
        CgroupLayout layout = CgroupLayout.detect();
        SystemdUnit systemdUnit = o.systemdCgroup() ? systemdUnit(o, linux.cgroupsPath()) : null;
        ContainerCgroup cgroup = systemdUnit != null
                ? new ContainerCgroup(layout, systemdUnit.cgroupPath(), o.id())
                : new ContainerCgroup(
                        layout,
                        o.rootlessCgroups() ? CgroupCaller.rootless(caller.euid(), layout) : CgroupCaller.ROOT,
                        KernelCgroupFiles.plain(),
                        linux.cgroupsPath(),
                        o.id());
        String rootfs = RootfsPlanner.rootfsPath(spec, bundle);
        RootfsPlan rootfsPlan = RootfsPlanner.plan(spec, bundle, rootfs, ns, o.noPivot(), cgroup);
        List<IdmappedMount> idmappedMounts = RootfsPlanner.idmappedMounts(spec, rootfsPlan, ns);
        Resources resources = DefaultDeviceRules.withDefaults(linux);
        // errors only: apply() repeats these warnings with its own
        cgroup.validate(resources);
        IdMaps idMaps = idMaps(linux.uidMappings(), linux.gidMappings(), ns, caller);
        if (caller.euid() != 0) {
            RootfsPlanner.checkReadableByInit(rootfs, caller.euid(), linux.uidMappings());
        }
        ProcessPlan process = ProcessPlanner.plan(
                withListenEnv(spec, listenFds),
                "process",
                linux,
                SeccompPlanner.plan(linux.seccomp()),
                o.preserveFds() + listenFds);
        if (idMaps != null && idMaps.deniesSetgroups()) {
            process = ProcessPlanner.withoutSetgroups(process, "process");
        }
        return new CreatePlan(
                spec, bundle, rootfs, ns, cgroup, systemdUnit, rootfsPlan, idmappedMounts, idMaps, process, resources);
    }

    /**
     * --systemd-cgroup: the unit linux.cgroupsPath names, on the system bus. A rootless caller would need its user
     * bus and a slice delegated to it, which jrunc does not do (runc does); it is refused rather than given root's.
     */
    private static SystemdUnit systemdUnit(CreateOptions o, String cgroupsPath) {
        if (o.rootlessCgroups()) {
            throw new JruncException("--systemd-cgroup as an unprivileged user (systemd's user bus) is not supported "
                    + "by jrunc: use the cgroupfs driver");
        }
        return SystemdUnit.of(cgroupsPath, o.id());
    }

    /**
     * The maps of a new user namespace as this caller can write them (null without one). An unprivileged caller gets
     * no container without a user namespace: nothing of what a container needs could be set up (runc's rule).
     */
    static IdMaps idMaps(List<IdMapping> uids, List<IdMapping> gids, NamespacePlan ns, Rootless caller) {
        if (caller.euid() != 0 && !ns.creates(NamespaceKind.USER) && !ns.joins(NamespaceKind.USER)) {
            throw new ConfigException("config.json: field linux.namespaces: rootless container requires user "
                    + "namespaces (jrunc runs as uid " + caller.euid() + ")");
        }
        if (!ns.creates(NamespaceKind.USER)) {
            return null;
        }
        return IdMaps.forCaller(caller, uids, gids);
    }

    /** LISTEN_FDS (socket activation): runc passes those descriptors on, after stdio. */
    static int listenFds() {
        String n = System.getenv("LISTEN_FDS");
        if (n == null || n.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(n));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static ProcessConfig withListenEnv(Spec spec, int listenFds) {
        ProcessConfig p = spec.process();
        if (p == null || listenFds == 0) {
            return p;
        }
        List<String> env = new ArrayList<>(p.envOrEmpty());
        env.add("LISTEN_FDS=" + listenFds);
        env.add("LISTEN_PID=1");
        return new ProcessConfig(
                p.terminal(),
                p.consoleSize(),
                p.user(),
                p.args(),
                p.commandLine(),
                env,
                p.cwd(),
                p.capabilities(),
                p.rlimits(),
                p.noNewPrivileges(),
                p.apparmorProfile(),
                p.oomScoreAdj(),
                p.scheduler(),
                p.selinuxLabel(),
                p.ioPriority(),
                p.execCpuAffinity());
    }
}
