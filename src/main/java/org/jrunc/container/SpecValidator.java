package org.jrunc.container;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.config.ConfigException;
import org.jrunc.config.ExecCpuAffinity;
import org.jrunc.config.Hook;
import org.jrunc.config.Hooks;
import org.jrunc.config.Linux;
import org.jrunc.config.NetDevice;
import org.jrunc.config.Spec;
import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.namespaces.NamespacePlan;

/**
 * Checks across fields of config.json that the records alone cannot express. Every message names the field; anything
 * jrunc does not implement is refused here, never silently ignored.
 */
final class SpecValidator {
    private SpecValidator() {}

    static void validate(Spec spec, NamespacePlan ns) {
        Linux linux = spec.linux();
        if (linux == null) {
            throw new ConfigException("config.json: field linux: must be set on Linux");
        }
        if (!ns.creates(NamespaceKind.MOUNT)) {
            validateSharedMountNamespace(spec, ns);
        }
        if (spec.hostname() != null && !spec.hostname().isEmpty() && !ns.isPrivate(NamespaceKind.UTS)) {
            throw new ConfigException(
                    "config.json: field hostname: unable to set hostname without a private UTS namespace");
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty() && !ns.isPrivate(NamespaceKind.UTS)) {
            throw new ConfigException(
                    "config.json: field domainname: unable to set domainname without a private UTS namespace");
        }
        boolean newUser = ns.creates(NamespaceKind.USER);
        boolean hasMappings =
                linux.uidMappings() != null && !linux.uidMappings().isEmpty();
        if (newUser
                && (!hasMappings
                        || linux.gidMappings() == null
                        || linux.gidMappings().isEmpty())) {
            throw new ConfigException(
                    "config.json: field linux.uidMappings: a new user namespace needs uid and gid mappings");
        }
        if (!newUser && hasMappings) {
            throw new ConfigException(
                    "config.json: field linux.uidMappings: mappings are set but no new user namespace is");
        }
        if (linux.timeOffsets() != null && !linux.timeOffsets().isEmpty() && !ns.creates(NamespaceKind.TIME)) {
            throw new ConfigException("config.json: field linux.timeOffsets: needs a new time namespace");
        }
        if (linux.timeOffsets() != null) {
            for (String clock : linux.timeOffsets().keySet()) {
                if (!clock.equals("monotonic") && !clock.equals("boottime")) {
                    throw new ConfigException("config.json: field linux.timeOffsets: unknown clock \"" + clock
                            + "\" (monotonic or boottime)");
                }
            }
        }
        validateSysctl(linux.sysctl(), ns);
        validateNetDevices(linux.netDevices(), ns);
        // not applied to the init (config.md): the default of every exec, checked now as runc checks it at create
        ExecCpuAffinity affinity =
                spec.process() == null ? null : spec.process().execCpuAffinity();
        if (affinity != null) {
            ProcessPlanner.cpus(affinity.initial(), "config.json: field process.execCPUAffinity.initial");
            ProcessPlanner.cpus(affinity.finalCpus(), "config.json: field process.execCPUAffinity.final");
        }
        validateHooks(spec.hooks());
        refuseUnsupported(spec, linux);
        if (spec.process() != null && spec.process().oomScoreAdj() != null) {
            int v = spec.process().oomScoreAdj();
            if (v < -1000 || v > 1000) {
                throw new ConfigException("config.json: field process.oomScoreAdj: " + v + " is outside -1000..1000");
            }
        }
    }

    /**
     * A container without a new mount namespace inherits the runtime's or joins one by path, and is entered with
     * chroot (RootJail). What would change the mount holding the rootfs for everyone in that namespace is refused:
     * runc ignores root.readonly there, crun remounts that mount read-only (the host's root, when the rootfs is a
     * plain directory on it).
     */
    private static void validateSharedMountNamespace(Spec spec, NamespacePlan ns) {
        String which = ns.joins(NamespaceKind.MOUNT)
                ? "the mount namespace it joins"
                : "the runtime's mount namespace (linux.namespaces has no mount namespace)";
        if (spec.root() != null && spec.root().isReadonly()) {
            throw new ConfigException("config.json: field root.readonly: would remount the mount holding the rootfs "
                    + "read-only for every process of " + which);
        }
        String propagation = spec.linux().rootfsPropagation();
        if (propagation != null && !propagation.isEmpty()) {
            throw new ConfigException("config.json: field linux.rootfsPropagation: would change the propagation of "
                    + "mounts in " + which);
        }
    }

    /**
     * linux.netDevices: the devices go into the container's network namespace, so it needs one of its own (new, or
     * joined by path as runc allows), and every name must be one the kernel takes (dev_valid_name: 1 to 15 bytes, not
     * "." or "..", no '/', ':' or white space); a new name may be a template with %d, which the kernel completes.
     */
    static void validateNetDevices(Map<String, NetDevice> devices, NamespacePlan ns) {
        if (devices == null || devices.isEmpty()) {
            return;
        }
        if (!ns.isPrivate(NamespaceKind.NETWORK)) {
            throw new ConfigException("config.json: field linux.netDevices: moving network devices needs a network "
                    + "namespace of the container's own, and linux.namespaces has none");
        }
        for (Map.Entry<String, NetDevice> d : devices.entrySet()) {
            String field = "config.json: field linux.netDevices[\"" + d.getKey() + "\"]";
            checkDeviceName(d.getKey(), field);
            if (d.getValue() != null
                    && d.getValue().name() != null
                    && !d.getValue().name().isEmpty()) {
                checkDeviceName(d.getValue().name(), field + ".name");
            }
        }
    }

    private static void checkDeviceName(String name, String field) {
        boolean bad = name.isEmpty()
                || name.getBytes(StandardCharsets.UTF_8).length > 15
                || name.equals(".")
                || name.equals("..");
        for (int i = 0; i < name.length() && !bad; i++) {
            char c = name.charAt(i);
            bad = c == '/' || c == ':' || Character.isWhitespace(c);
        }
        if (bad) {
            throw new ConfigException(field + ": \"" + name + "\" is not a valid network device name (1 to 15 bytes, "
                    + "no '/', ':' or white space, not \".\" or \"..\")");
        }
    }

    /** A sysctl may only be set where the container has its own namespace for it (runc's rule). */
    static void validateSysctl(Map<String, String> sysctl, NamespacePlan ns) {
        if (sysctl == null) {
            return;
        }
        for (String key : sysctl.keySet()) {
            String f = "config.json: field linux.sysctl: \"" + key + "\"";
            if (key.contains("/") || key.contains("..") || key.isEmpty()) {
                throw new ConfigException(f + " is not a valid sysctl name");
            }
            boolean ipc = key.startsWith("kernel.msg")
                    || key.startsWith("kernel.sem")
                    || key.startsWith("kernel.shm")
                    || key.startsWith("fs.mqueue.");
            if (ipc) {
                if (!ns.isPrivate(NamespaceKind.IPC)) {
                    throw new ConfigException(f + " needs a private IPC namespace");
                }
            } else if (key.startsWith("net.")) {
                if (!ns.isPrivate(NamespaceKind.NETWORK)) {
                    throw new ConfigException(f + " needs a private network namespace");
                }
            } else if (key.equals("kernel.hostname") || key.equals("kernel.domainname")) {
                if (!ns.isPrivate(NamespaceKind.UTS)) {
                    throw new ConfigException(f + " needs a private UTS namespace");
                }
            } else {
                throw new ConfigException(f + " is not namespaced and cannot be set for a container");
            }
        }
    }

    static void validateHooks(Hooks hooks) {
        if (hooks == null) {
            return;
        }
        check(hooks.prestart(), "prestart");
        check(hooks.createRuntime(), "createRuntime");
        check(hooks.createContainer(), "createContainer");
        check(hooks.startContainer(), "startContainer");
        check(hooks.poststart(), "poststart");
        check(hooks.poststop(), "poststop");
    }

    private static void check(List<Hook> hooks, String phase) {
        if (hooks == null) {
            return;
        }
        for (int i = 0; i < hooks.size(); i++) {
            Hook h = hooks.get(i);
            String f = "config.json: field hooks." + phase + "[" + i + "]";
            if (h.path() == null || !h.path().startsWith("/")) {
                throw new ConfigException(f + ".path: must be an absolute path, got \"" + h.path() + "\"");
            }
            if (h.timeout() != null && h.timeout() <= 0) {
                throw new ConfigException(f + ".timeout: must be greater than zero");
            }
        }
    }

    /** Properties jrunc does not implement yet: an error naming them, never a silent no-op. */
    private static void refuseUnsupported(Spec spec, Linux linux) {
        if (linux.intelRdt() != null) {
            // say which it is: the host lacks resctrl, or jrunc lacks the support
            throw new ConfigException("config.json: field linux.intelRdt: "
                    + (Files.isDirectory(Path.of("/sys/fs/resctrl/info"))
                            ? "Intel RDT is not supported by jrunc yet"
                            : "Intel RDT is not available on this host (no resctrl filesystem at /sys/fs/resctrl)"));
        }
    }
}
