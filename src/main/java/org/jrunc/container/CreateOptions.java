package org.jrunc.container;

import java.nio.file.Path;

/**
 * The options of `create` (and of the create half of `run`), as runc spells them.
 *
 * @param pidfdSocket --pidfd-socket: an AF_UNIX socket that receives a pidfd of the container's process, or null
 * @param logFile the --log file, handed to the init so errors after create still reach it
 * @param attachable jrunc's extension: the container's stdio is held by a monitor for `jrunc attach`
 * @param rootlessCgroups the global --rootless, resolved (runc's shouldUseRootlessCgroupManager): the cgroup is one
 *     the caller can write, or none ({@link org.jrunc.cgroups.ContainerCgroup})
 * @param systemdCgroup the global --systemd-cgroup: the cgroup is a systemd unit named by linux.cgroupsPath in
 *     slice:prefix:name form ({@link org.jrunc.cgroups.systemd.SystemdUnit})
 */
public record CreateOptions(
        String id,
        Path bundle,
        String pidFile,
        String consoleSocket,
        String pidfdSocket,
        boolean noPivot,
        boolean noNewKeyring,
        int preserveFds,
        String logFile,
        boolean logJson,
        boolean attachable,
        boolean rootlessCgroups,
        boolean systemdCgroup) {
    /** The same options with another --console-socket. */
    public CreateOptions withConsoleSocket(String path) {
        return new CreateOptions(
                id,
                bundle,
                pidFile,
                path,
                pidfdSocket,
                noPivot,
                noNewKeyring,
                preserveFds,
                logFile,
                logJson,
                attachable,
                rootlessCgroups,
                systemdCgroup);
    }
}
