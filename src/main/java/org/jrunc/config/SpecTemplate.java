package org.jrunc.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.Version;

/** The config.json `spec` writes: runc's template (a shell in busybox-like rootfs), or its rootless variant. */
public final class SpecTemplate {
    private SpecTemplate() {}

    /** The rootful template. */
    public static Map<String, Object> create() {
        return create(false, 0, 0);
    }

    /**
     * runc's template; the rootless variant maps container root to the calling user ({@code hostUid}/{@code
     * hostGid}, the caller's effective ids as runc uses), drops the network namespace and bind-mounts /sys.
     */
    public static Map<String, Object> create(boolean rootless, long hostUid, long hostGid) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ociVersion", Version.RUNTIME_SPEC);
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", true);
        process.put("user", map("uid", 0, "gid", 0));
        process.put("args", List.of("sh"));
        process.put("env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"));
        process.put("cwd", "/");
        List<String> caps = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        process.put("capabilities", map("bounding", caps, "effective", caps, "permitted", caps, "ambient", caps));
        process.put("rlimits", List.of(map("type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024)));
        process.put("noNewPrivileges", true);
        spec.put("process", process);
        spec.put("root", map("path", "rootfs", "readonly", true));
        spec.put("hostname", "jrunc");
        List<Object> mounts = new ArrayList<>();
        mounts.add(mount("/proc", "proc", "proc", List.of()));
        mounts.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        mounts.add(mount(
                "/dev/pts",
                "devpts",
                "devpts",
                rootless
                        ? List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")
                        : List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        mounts.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        mounts.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        if (rootless) {
            mounts.add(mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
        } else {
            mounts.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        }
        mounts.add(mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        spec.put("mounts", mounts);
        Map<String, Object> linux = new LinkedHashMap<>();
        if (rootless) {
            linux.put("uidMappings", List.of(map("containerID", 0, "hostID", hostUid, "size", 1)));
            linux.put("gidMappings", List.of(map("containerID", 0, "hostID", hostGid, "size", 1)));
        } else {
            linux.put("resources", map("devices", List.of(map("allow", false, "access", "rwm"))));
        }
        List<Object> namespaces = new ArrayList<>();
        for (String ns : rootless
                ? List.of("pid", "ipc", "uts", "mount", "cgroup", "user")
                : List.of("pid", "network", "ipc", "uts", "mount", "cgroup")) {
            namespaces.add(map("type", ns));
        }
        linux.put("namespaces", namespaces);
        linux.put(
                "maskedPaths",
                List.of(
                        "/proc/acpi",
                        "/proc/asound",
                        "/proc/kcore",
                        "/proc/keys",
                        "/proc/latency_stats",
                        "/proc/timer_list",
                        "/proc/timer_stats",
                        "/proc/sched_debug",
                        "/sys/firmware",
                        "/proc/scsi"));
        linux.put("readonlyPaths", List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        spec.put("linux", linux);
        return spec;
    }

    private static Map<String, Object> mount(String dest, String type, String source, List<String> options) {
        Map<String, Object> m = map("destination", dest, "type", type, "source", source);
        if (!options.isEmpty()) {
            m.put("options", options);
        }
        return m;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
