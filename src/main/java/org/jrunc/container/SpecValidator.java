package org.jrunc.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.config.ConfigException;
import org.jrunc.config.ExecCpuAffinity;
import org.jrunc.config.Hook;
import org.jrunc.config.Hooks;
import org.jrunc.config.Linux;
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
        if (!ns.isPrivate(NamespaceKind.MOUNT)) {
            throw new ConfigException("config.json: field linux.namespaces: jrunc needs a mount namespace");
        }
        if (ns.joins(NamespaceKind.MOUNT)) {
            throw new ConfigException("config.json: field linux.namespaces: joining an existing mount namespace at "
                    + "create is not supported by jrunc");
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
        if (linux.netDevices() != null && !linux.netDevices().isEmpty()) {
            throw new ConfigException("config.json: field linux.netDevices: not supported by jrunc yet");
        }
        if (linux.intelRdt() != null) {
            // say which it is: the host lacks resctrl, or jrunc lacks the support
            throw new ConfigException("config.json: field linux.intelRdt: "
                    + (Files.isDirectory(Path.of("/sys/fs/resctrl/info"))
                            ? "Intel RDT is not supported by jrunc yet"
                            : "Intel RDT is not available on this host (no resctrl filesystem at /sys/fs/resctrl)"));
        }
    }
}
