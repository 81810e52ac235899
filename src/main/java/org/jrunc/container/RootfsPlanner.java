package org.jrunc.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.cgroups.ContainerCgroup;
import org.jrunc.cgroups.Hierarchy;
import org.jrunc.config.ConfigException;
import org.jrunc.config.Device;
import org.jrunc.config.IdMapping;
import org.jrunc.config.Linux;
import org.jrunc.config.Mount;
import org.jrunc.config.Spec;
import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.namespaces.NamespacePlan;
import org.jrunc.rootfs.CgroupMountSource;
import org.jrunc.rootfs.DevicePlan;
import org.jrunc.rootfs.IdmappedMount;
import org.jrunc.rootfs.MountOptions;
import org.jrunc.rootfs.MountPlan;
import org.jrunc.rootfs.RootfsPlan;

/** config.json root, mounts, devices and paths, checked and turned into a {@link RootfsPlan}. */
final class RootfsPlanner {
    /** The devices every container gets (config-linux.md "Default Devices"); /dev/console comes with a terminal. */
    static final List<DevicePlan> DEFAULT_DEVICES = List.of(
            DevicePlan.builder()
                    .path("/dev/null")
                    .type('c')
                    .major(1)
                    .minor(3)
                    .fileMode(0666)
                    .build(),
            DevicePlan.builder()
                    .path("/dev/zero")
                    .type('c')
                    .major(1)
                    .minor(5)
                    .fileMode(0666)
                    .build(),
            DevicePlan.builder()
                    .path("/dev/full")
                    .type('c')
                    .major(1)
                    .minor(7)
                    .fileMode(0666)
                    .build(),
            DevicePlan.builder()
                    .path("/dev/random")
                    .type('c')
                    .major(1)
                    .minor(8)
                    .fileMode(0666)
                    .build(),
            DevicePlan.builder()
                    .path("/dev/urandom")
                    .type('c')
                    .major(1)
                    .minor(9)
                    .fileMode(0666)
                    .build(),
            DevicePlan.builder()
                    .path("/dev/tty")
                    .type('c')
                    .major(5)
                    .minor(0)
                    .fileMode(0666)
                    .build());

    private RootfsPlanner() {}

    static String rootfsPath(Spec spec, Path bundle) {
        if (spec.root() == null
                || spec.root().path() == null
                || spec.root().path().isEmpty()) {
            throw new ConfigException("config.json: field root.path: must be set");
        }
        Path root = bundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(root)) {
            throw new ConfigException(
                    "config.json: field root.path: rootfs " + root + " does not exist or is not a directory");
        }
        try {
            return root.toRealPath().toString();
        } catch (IOException e) {
            throw new ConfigException("config.json: field root.path: " + root + ": " + e.getMessage());
        }
    }

    /**
     * An unprivileged caller's init is root only over files whose owner the container maps (user_namespaces(7)): a
     * rootfs this caller cannot read, owned by an id the container does not map, could not be set up at all. Said
     * here, before anything exists, naming the path.
     */
    static void checkReadableByInit(String rootfs, long euid, List<IdMapping> uids) {
        Path root = Path.of(rootfs);
        if (Files.isReadable(root) && Files.isExecutable(root)) {
            return;
        }
        long owner;
        try {
            owner = ((Integer) Files.getAttribute(root, "unix:uid")) & 0xffffffffL;
        } catch (IOException e) {
            throw new ConfigException("config.json: field root.path: " + root + ": " + JruncException.reason(e));
        }
        for (IdMapping m : uids == null ? List.<IdMapping>of() : uids) {
            if (m.hostID() != null && m.size() != null && owner >= m.hostID() && owner < m.hostID() + m.size()) {
                return;
            }
        }
        throw new ConfigException("config.json: field root.path: rootfs " + root + ": permission denied: uid " + euid
                + " cannot read it and its owner, uid " + owner + ", is not mapped into the container");
    }

    static RootfsPlan plan(
            Spec spec, Path bundle, String rootfs, NamespacePlan ns, boolean noPivot, ContainerCgroup cgroup) {
        Linux linux = spec.linux();
        List<MountPlan> mounts = new ArrayList<>();
        List<Mount> configMounts = spec.mountsOrEmpty();
        boolean devIsBind = false;
        for (int i = 0; i < configMounts.size(); i++) {
            MountPlan m = MountOptions.parse(configMounts.get(i), i);
            if (m.isBind() && !m.source().startsWith("/")) {
                // bind sources relative to the bundle, as runc resolves them
                m = m.toBuilder()
                        .source(bundle.resolve(m.source()).normalize().toString())
                        .build();
            }
            if (m.isBind() && m.destination().replaceAll("/+$", "").equals("/dev")) {
                devIsBind = true;
            }
            mounts.add(m);
        }
        boolean userns = ns.isPrivate(NamespaceKind.USER);
        return RootfsPlan.builder()
                .rootfs(rootfs)
                .readonly(spec.root().isReadonly())
                .propagation(MountOptions.parseRootPropagation(linux == null ? null : linux.rootfsPropagation()))
                .noPivot(noPivot)
                .mounts(mounts)
                .setupDev(!devIsBind)
                .devices(devices(linux))
                .bindDevices(userns)
                .maskedPaths(absolutePaths(linux == null ? null : linux.maskedPaths(), "linux.maskedPaths"))
                .readonlyPaths(absolutePaths(linux == null ? null : linux.readonlyPaths(), "linux.readonlyPaths"))
                .cgroupV2Only(cgroup.layout().isUnifiedOnly())
                .cgroupSources(cgroupSources(cgroup))
                .cgroupNamespace(ns.isPrivate(NamespaceKind.CGROUP))
                .ownMountNamespace(ns.creates(NamespaceKind.MOUNT))
                .build();
    }

    /** The idmapped bind mounts among the planned ones, which the runtime prepares before the init starts. */
    static List<IdmappedMount> idmappedMounts(Spec spec, RootfsPlan plan, NamespacePlan ns) {
        Linux linux = spec.linux();
        boolean newUser = ns.creates(NamespaceKind.USER);
        List<Mount> configMounts = spec.mountsOrEmpty();
        List<IdmappedMount> out = new ArrayList<>();
        for (int i = 0; i < configMounts.size(); i++) {
            IdmappedMount m = MountOptions.idmap(
                    configMounts.get(i),
                    plan.mounts().get(i),
                    i,
                    newUser ? linux.uidMappings() : null,
                    newUser ? linux.gidMappings() : null,
                    ns.joined().get(NamespaceKind.USER));
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    static List<DevicePlan> devices(Linux linux) {
        Map<String, DevicePlan> byPath = new LinkedHashMap<>();
        for (DevicePlan d : DEFAULT_DEVICES) {
            byPath.put(d.path(), d);
        }
        List<Device> devices = linux == null ? List.of() : linux.devicesOrEmpty();
        for (int i = 0; i < devices.size(); i++) {
            Device d = devices.get(i);
            String f = "config.json: field linux.devices[" + i + "]";
            if (d.path() == null || !d.path().startsWith("/")) {
                throw new ConfigException(f + ".path: must be an absolute path");
            }
            if (d.type() == null
                    || d.type().length() != 1
                    || "cbup".indexOf(d.type().charAt(0)) < 0) {
                throw new ConfigException(f + ".type: \"" + d.type() + "\" is not one of c, b, u, p");
            }
            char type = d.type().charAt(0);
            if (type != 'p' && (d.major() == null || d.minor() == null)) {
                throw new ConfigException(f + ": major and minor are required for type " + type);
            }
            byPath.put(
                    d.path(),
                    DevicePlan.builder()
                            .path(d.path())
                            .type(type)
                            .major(d.major() == null ? 0 : d.major())
                            .minor(d.minor() == null ? 0 : d.minor())
                            .fileMode(d.fileMode() == null ? 0666 : d.fileMode())
                            .uid(d.uid() == null ? 0 : d.uid())
                            .gid(d.gid() == null ? 0 : d.gid())
                            .build());
        }
        return new ArrayList<>(byPath.values());
    }

    private static List<String> absolutePaths(List<String> paths, String field) {
        if (paths == null) {
            return List.of();
        }
        for (int i = 0; i < paths.size(); i++) {
            String p = paths.get(i);
            if (p == null || !p.startsWith("/")) {
                throw new ConfigException(
                        "config.json: field " + field + "[" + i + "]: must be an absolute path, got \"" + p + "\"");
            }
        }
        return List.copyOf(paths);
    }

    private static List<CgroupMountSource> cgroupSources(ContainerCgroup cgroup) {
        List<CgroupMountSource> out = new ArrayList<>();
        for (Hierarchy h : cgroup.layout().hierarchies()) {
            String options = h.unified() ? "" : h.key().startsWith("name=") ? "none," + h.key() : h.key();
            out.add(new CgroupMountSource(
                    h.dirName(), cgroup.dirs().get(h.key()), h.unified() ? "cgroup2" : "cgroup", options));
        }
        return out;
    }
}
