package org.jrunc.process;

import java.util.List;
import org.jrunc.cgroups.CgroupManager;

/**
 * The processes of this host as the container operations see them: who is alive (checked against a recorded start
 * time, so a reused pid is not mistaken for the process), and sending signals. {@link LinuxProcesses} reads /proc and
 * signals through ProcessHandle or kill(2); the operations' unit tests give a fake.
 */
public interface HostProcesses extends CgroupManager.Signaller {
    /** This process: its pid and start time. */
    ProcStat self();

    /** /proc/PID/stat, or null when the process does not exist. */
    ProcStat stat(int pid);

    /**
     * The live processes descended from {@code pid} (children first found, then theirs), not {@code pid} itself: the
     * processes of a container that has no cgroup to list them (rootless, nothing writable). One that left the tree
     * (re-parented outside it, possible without a pid namespace of the container's own) is not found.
     */
    List<Integer> descendants(int pid);

    /** True when {@code pid} is alive and is the process that started at {@code startTicks}. */
    boolean isSameLiveProcess(int pid, long startTicks);

    /**
     * Sends {@code sig} to {@code pid}; returns false when the process no longer exists. It is also how the cgroup
     * manager signals every process of a cgroup (kill --all, delete).
     */
    @Override
    boolean signal(int pid, int sig);
}
