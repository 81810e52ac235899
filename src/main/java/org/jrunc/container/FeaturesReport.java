package org.jrunc.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.Version;
import org.jrunc.caps.CapabilityNames;
import org.jrunc.cgroups.CgroupFeatures;
import org.jrunc.cgroups.CgroupLayout;
import org.jrunc.lsm.LsmHost;
import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.rootfs.MountOptions;
import org.jrunc.seccomp.SeccompFeatures;
import org.jrunc.seccomp.libseccomp.ScmpVersion;
import org.jrunc.sys.KernelRelease;

/**
 * `features` (runtime-spec features.md): what this jrunc really does on this host. Anything it does not implement is
 * reported as disabled, even where the host could do it (Intel RDT); AppArmor and SELinux are
 * enabled exactly when the module is active here, since only then are labels applied.
 */
public final class FeaturesReport {
    private FeaturesReport() {}

    public static Map<String, Object> build() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ociVersionMin", "1.0.0");
        f.put("ociVersionMax", Version.RUNTIME_SPEC);
        f.put(
                "hooks",
                List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"));
        f.put("mountOptions", MountOptions.knownOptions());
        Map<String, Object> linux = new LinkedHashMap<>();
        List<String> ns = new ArrayList<>();
        for (NamespaceKind k : NamespaceKind.values()) {
            if (Files.exists(Path.of("/proc/self/ns/" + k.procName()))) {
                ns.add(k.specName());
            }
        }
        linux.put("namespaces", ns);
        linux.put("capabilities", CapabilityNames.all());
        linux.put("cgroup", CgroupFeatures.of(CgroupLayout.detect()));
        Map<String, Object> seccomp = new LinkedHashMap<>();
        seccomp.put("enabled", true);
        seccomp.put("actions", SeccompFeatures.actions());
        seccomp.put(
                "operators",
                List.of(
                        "SCMP_CMP_NE",
                        "SCMP_CMP_LT",
                        "SCMP_CMP_LE",
                        "SCMP_CMP_EQ",
                        "SCMP_CMP_GE",
                        "SCMP_CMP_GT",
                        "SCMP_CMP_MASKED_EQ"));
        seccomp.put("archs", SeccompFeatures.architectures());
        seccomp.put("knownFlags", SeccompFeatures.knownFlags());
        seccomp.put("supportedFlags", SeccompFeatures.supportedFlags());
        linux.put("seccomp", seccomp);
        // process labels are applied when the module is active (linux.mountLabel is refused even then)
        linux.put("apparmor", Map.of("enabled", LsmHost.current().apparmor()));
        linux.put("selinux", Map.of("enabled", LsmHost.current().selinux()));
        linux.put("intelRdt", Map.of("enabled", false));
        Map<String, Object> memoryPolicy = new LinkedHashMap<>();
        memoryPolicy.put("modes", MemoryPolicyPlanner.supportedModes());
        memoryPolicy.put("flags", MemoryPolicyPlanner.supportedFlags());
        linux.put("memoryPolicy", memoryPolicy);
        // MOUNT_ATTR_IDMAP came with Linux 5.12; whether a given filesystem allows it is its own matter (tmpfs from
        // 6.3, sysfs and procfs never), which create reports naming the mount
        linux.put("mountExtensions", Map.of("idmap", Map.of("enabled", KernelRelease.atLeast(5, 12))));
        linux.put("netDevices", Map.of("enabled", true));
        f.put("linux", linux);
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put("org.opencontainers.runc.checkpoint.enabled", "false");
        annotations.put(
                "io.github.seccomp.libseccomp.version", ScmpVersion.current().toString());
        annotations.put("org.jrunc.version", Version.VERSION);
        f.put("annotations", annotations);
        f.put("potentiallyUnsafeConfigAnnotations", List.of());
        return f;
    }
}
