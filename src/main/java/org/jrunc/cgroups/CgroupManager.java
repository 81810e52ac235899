package org.jrunc.cgroups;

import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.config.Resources;

/**
 * One container's cgroup, whatever this host mounts (cgroup v1, v2, or v1 controllers next to a cgroup2 mount): what
 * the container operations do with it, modelled on runc's cgroups.Manager and youki's CgroupManager. Built by a
 * {@link Factory}, for create from the planned {@link ContainerCgroup}, for every later command from what state.json
 * records (cgroupPaths and createdCgroups).
 */
public interface CgroupManager {
    /** Sends a signal to one process; the kernel access of {@link #killAll}, passed in by the caller. */
    interface Signaller {
        /** @return false when the process no longer exists */
        boolean signal(int pid, int signal);
    }

    /** Makes managers; the container operations get one through their constructors. */
    interface Factory {
        /** The cgroup `create` is about to make (nothing exists yet). */
        CgroupManager forCreate(ContainerCgroup cgroup);

        /** A container's cgroup as state.json records it: cgroupPaths and createdCgroups. */
        CgroupManager forRecorded(Map<String, String> paths, List<String> createdDirs);

        /**
         * The cgroup `create` is about to have systemd make: the transient unit {@code unit} ("prefix-name.scope", or
         * a slice) in {@code slice}, at {@code cgroup}'s directories. Made around the init ({@link #createAround}).
         */
        default CgroupManager forCreateUnit(ContainerCgroup cgroup, String slice, String unit) {
            throw new JruncException(noSystemd(unit));
        }

        /**
         * A container whose cgroup is systemd's unit {@code unit} (state.json's systemdUnit): what update and delete
         * need, for they go through systemd; the other operations work on the recorded directories alone.
         */
        default CgroupManager forRecordedUnit(String unit, Map<String, String> paths, List<String> createdDirs) {
            throw new JruncException(noSystemd(unit));
        }

        private static String noSystemd(String unit) {
            return "the cgroup is systemd's unit " + unit + ", which this cgroup driver cannot reach";
        }
    }

    /** The container's directory in each hierarchy, by hierarchy key ("unified", "memory", "cpu,cpuacct"...). */
    Map<String, String> paths();

    /** The directories {@link #destroy} removes: those create made, and the parents jrunc owns. */
    List<String> createdDirs();

    /**
     * mkdir -p in every hierarchy, remembering what was new (see {@link #createdDirs}).
     *
     * @throws IllegalStateException for a manager of a recorded container, whose cgroup exists
     */
    void create();

    /**
     * Whether the cgroup can only be made with a process in it, as a systemd scope: then `create` spawns the init
     * first and calls {@link #createAround} with it, instead of {@link #create} and {@link #apply} before the spawn.
     */
    default boolean madeAroundProcess() {
        return false;
    }

    /**
     * Makes the cgroup with process {@code pid} in every hierarchy, and applies linux.resources of config.json: the
     * {@link #madeAroundProcess} way. @return the warnings, to log
     *
     * @throws IllegalStateException for a cgroup made empty, before its process ({@link #create})
     */
    default List<String> createAround(int pid, Resources r) {
        throw new IllegalStateException("this cgroup is made before its process: create() and apply()");
    }

    /** linux.resources of config.json on a new cgroup: validated, then written. @return the warnings, to log */
    List<String> apply(Resources r);

    /**
     * New limits for a container in use (`update`): fields that are null stay as they are, memory.checkBeforeUpdate is
     * honoured, messages name "update" as the source. @return the warnings, to log
     */
    List<String> update(Resources r);

    /** The processes in the cgroup (from the first hierarchy that has a cgroup.procs). */
    List<Integer> pids();

    /** Frozen, or freezing: the v1 freezer when the container has one, else cgroup.freeze of the unified hierarchy. */
    boolean isFrozen();

    /** Freezes the cgroup and waits until every process has stopped. */
    void freeze();

    void thaw();

    /**
     * Signals every process in the cgroup. SIGKILL uses cgroup.kill where the unified hierarchy offers it (atomic, no
     * pid races); otherwise the cgroup is frozen while the signals go out through {@code signaller}, so nothing can
     * fork past them, and thawed again unless it was frozen before (always after SIGKILL: a frozen process does not
     * die).
     */
    void killAll(int signal, Signaller signaller);

    /** Statistics in the shape of runc's events "data" ({@link CgroupStats}). */
    Map<String, Object> stats();

    /** A counter of OOM kills from now on, for `events`. */
    OomCounter watchOom();

    /**
     * Removes {@link #createdDirs}, deepest first: the container's own cgroups (waiting for a process still leaving;
     * failing that is an error), and a parent when no other container's cgroup is left in it.
     */
    void destroy();
}
