package org.jrunc.process;

import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.namespaces.NamespacePlan;
import java.util.List;
import java.util.Map;
import org.jrunc.config.IdMapping;
import org.jrunc.config.TimeOffset;

/**
 * A process to start inside new or joined namespaces.
 *
 * @param argv the program and its arguments; argv[0] is the path executed
 * @param envp its whole environment
 * @param namespaces what to create and join
 * @param skip namespace kinds left to the child itself (the init creates its cgroup namespace later)
 * @param uidMappings for a new user namespace
 * @param timeOffsets for a new time namespace
 * @param passFds descriptors the child inherits (their CLOEXEC flag is cleared for the spawn)
 * @param cgroupNamespaceRoot cgroup.procs descriptors of the cgroup a new cgroup namespace must be rooted at
 * @param cgroupOrigin cgroup.procs descriptors of this process's own cgroups, to return to afterwards
 * @param readonlyRuntime host paths the child must see read-only (the JDK and jrunc's own files), see
 *                        {@link InitSpawner}
 * @param stdio descriptors (each 3 or above, so no placement overwrites another) that become the child's 0, 1 and 2;
 *              null to inherit this process's own stdio, as runc does
 */
public record SpawnRequest(
        String[] argv,
        String[] envp,
        NamespacePlan namespaces,
        java.util.Set<NamespaceKind> skip,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, TimeOffset> timeOffsets,
        int[] passFds,
        int[] cgroupNamespaceRoot,
        int[] cgroupOrigin,
        List<String> readonlyRuntime,
        int[] stdio) {
}
