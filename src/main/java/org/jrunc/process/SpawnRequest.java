package org.jrunc.process;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.config.TimeOffset;
import org.jrunc.namespaces.IdMaps;
import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.namespaces.NamespacePlan;

/**
 * A process to start inside new or joined namespaces.
 *
 * @param argv the program and its arguments; argv[0] is the path executed
 * @param envp its whole environment
 * @param namespaces what to create and join
 * @param skip namespace kinds left to the child itself (the init creates its cgroup namespace later)
 * @param idMaps the uid and gid maps of a new user namespace, and how this caller writes them
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
        Set<NamespaceKind> skip,
        IdMaps idMaps,
        Map<String, TimeOffset> timeOffsets,
        int[] passFds,
        int[] cgroupNamespaceRoot,
        int[] cgroupOrigin,
        List<String> readonlyRuntime,
        int[] stdio) {

    /** A SpawnRequest built one named field at a time; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets the fields of a SpawnRequest by name, so that call sites say what they set instead of passing runs of nulls,
     * empties and unlabelled booleans. A field not set is empty (no namespace kind skipped, no time offsets, no
     * descriptors to pass, no runtime paths to protect) or null (no id mappings; stdio inherited). A plain class (no
     * lambdas, no record methods): cheap on the create, run and exec paths.
     */
    public static final class Builder {
        private String[] argv;
        private String[] envp;
        private NamespacePlan namespaces;
        private Set<NamespaceKind> skip = EnumSet.noneOf(NamespaceKind.class);
        private IdMaps idMaps;
        private Map<String, TimeOffset> timeOffsets = Map.of();
        private int[] passFds = new int[0];
        private int[] cgroupNamespaceRoot = new int[0];
        private int[] cgroupOrigin = new int[0];
        private List<String> readonlyRuntime = List.of();
        private int[] stdio;

        private Builder() {}

        public Builder argv(String[] v) {
            argv = v;
            return this;
        }

        public Builder envp(String[] v) {
            envp = v;
            return this;
        }

        public Builder namespaces(NamespacePlan v) {
            namespaces = v;
            return this;
        }

        public Builder skip(Set<NamespaceKind> v) {
            skip = v;
            return this;
        }

        public Builder idMaps(IdMaps v) {
            idMaps = v;
            return this;
        }

        public Builder timeOffsets(Map<String, TimeOffset> v) {
            timeOffsets = v;
            return this;
        }

        public Builder passFds(int[] v) {
            passFds = v;
            return this;
        }

        public Builder cgroupNamespaceRoot(int[] v) {
            cgroupNamespaceRoot = v;
            return this;
        }

        public Builder cgroupOrigin(int[] v) {
            cgroupOrigin = v;
            return this;
        }

        public Builder readonlyRuntime(List<String> v) {
            readonlyRuntime = v;
            return this;
        }

        public Builder stdio(int[] v) {
            stdio = v;
            return this;
        }

        public SpawnRequest build() {
            return new SpawnRequest(
                    argv,
                    envp,
                    namespaces,
                    skip,
                    idMaps,
                    timeOffsets,
                    passFds,
                    cgroupNamespaceRoot,
                    cgroupOrigin,
                    readonlyRuntime,
                    stdio);
        }
    }
}
