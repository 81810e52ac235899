package org.jrunc.cli;

import org.jrunc.cgroups.CgroupManager;
import org.jrunc.cgroups.manager.CgroupfsManagers;
import org.jrunc.cgroups.systemd.SystemdCgroupManagers;
import org.jrunc.container.ContainerAttach;
import org.jrunc.container.ContainerCreate;
import org.jrunc.container.ContainerDelete;
import org.jrunc.container.ContainerEvents;
import org.jrunc.container.ContainerExec;
import org.jrunc.container.ContainerHost;
import org.jrunc.container.ContainerKill;
import org.jrunc.container.ContainerList;
import org.jrunc.container.ContainerPause;
import org.jrunc.container.ContainerPs;
import org.jrunc.container.ContainerRun;
import org.jrunc.container.ContainerStart;
import org.jrunc.container.ContainerState;
import org.jrunc.container.ContainerUpdate;
import org.jrunc.hooks.SpawnedHooks;
import org.jrunc.process.InitSpawner;
import org.jrunc.process.LinuxProcesses;
import org.jrunc.sys.SyscallsOnDemand;

/**
 * The container operations wired to this host, for {@link FastPath} and the picocli commands alike: the state store
 * of the global flags, the system calls on demand, cgroupfs, /proc and the real hook runner and spawner. The one place
 * that names the production implementations; the operations' unit tests build a {@link ContainerHost} of fakes.
 * Nothing here loads JNA: the system calls are reached only where an operation needs one.
 */
final class Operations {
    private Operations() {}

    static ContainerHost host(GlobalOptions g) {
        return host(g, CgroupfsManagers.HOST);
    }

    /**
     * For the operations that may make, change or remove a systemd unit (create, run, update, delete): both drivers.
     * The others work on a container's recorded directories, whichever driver made them, and load nothing of it.
     */
    private static ContainerHost hostWithUnits(GlobalOptions g) {
        return host(g, SystemdCgroupManagers.HOST);
    }

    private static ContainerHost host(GlobalOptions g, CgroupManager.Factory cgroups) {
        return new ContainerHost(g.store(), SyscallsOnDemand.LINUX, cgroups, LinuxProcesses.HOST, SpawnedHooks.HOST);
    }

    static ContainerState state(GlobalOptions g) {
        return new ContainerState(host(g));
    }

    static ContainerStart start(GlobalOptions g) {
        return new ContainerStart(host(g));
    }

    static ContainerKill kill(GlobalOptions g) {
        return new ContainerKill(host(g));
    }

    static ContainerDelete delete(GlobalOptions g) {
        return new ContainerDelete(hostWithUnits(g));
    }

    static ContainerPause pause(GlobalOptions g) {
        return new ContainerPause(host(g));
    }

    static ContainerCreate create(GlobalOptions g) {
        return new ContainerCreate(hostWithUnits(g), InitSpawner.ON_HOST);
    }

    static ContainerRun run(GlobalOptions g) {
        return new ContainerRun(hostWithUnits(g), InitSpawner.ON_HOST);
    }

    static ContainerExec exec(GlobalOptions g) {
        return new ContainerExec(host(g), InitSpawner.ON_HOST);
    }

    static ContainerPs ps(GlobalOptions g) {
        return new ContainerPs(host(g));
    }

    static ContainerEvents events(GlobalOptions g) {
        return new ContainerEvents(host(g));
    }

    static ContainerUpdate update(GlobalOptions g) {
        return new ContainerUpdate(hostWithUnits(g));
    }

    static ContainerList list(GlobalOptions g) {
        return new ContainerList(host(g));
    }

    static ContainerAttach attach(GlobalOptions g) {
        return new ContainerAttach(host(g));
    }
}
