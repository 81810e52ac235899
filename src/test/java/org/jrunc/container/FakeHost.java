package org.jrunc.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jrunc.cgroups.FakeCgroupManager;
import org.jrunc.hooks.FakeHooks;
import org.jrunc.hooks.HookSpec;
import org.jrunc.process.FakeProcesses;
import org.jrunc.process.FakeSpawner;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.sys.RecordingSyscalls;
import org.jrunc.sys.Syscalls;

/**
 * A {@link ContainerHost} of fakes for the operations' unit tests: a state store in a temporary directory, recording
 * system calls, a fake cgroup manager, fake processes, hooks and spawner, all logging into one {@link #journal} so
 * that a test sees the order of what an operation did across them. The system calls count how often they were asked
 * for ({@link #syscallsReached}): the hot commands must not reach them for TERM, KILL and no hooks.
 */
final class FakeHost {
    static final String CGROUP = "/sys/fs/cgroup/jrunc/c1";
    static final int INIT = 4242;
    static final long INIT_TICKS = 777;

    final List<String> journal = new ArrayList<>();
    final StateStore store;
    final RecordingSyscalls sys = new RecordingSyscalls(journal);
    final FakeCgroupManager cgroups = new FakeCgroupManager().journal(journal);
    final FakeProcesses processes = new FakeProcesses(journal);
    final FakeHooks hooks = new FakeHooks(journal);
    final FakeSpawner spawner = new FakeSpawner(journal, processes);
    int syscallsReached;

    FakeHost(Path tmp) {
        store = new StateStore(tmp.resolve("root").toString());
    }

    ContainerHost host() {
        return new ContainerHost(store, new CountingSupplier(), cgroups, processes, hooks);
    }

    /** The journal entries that start with {@code prefix} ("cgroup", "signal", "hook", "kill"...), in order. */
    List<String> journal(String prefix) {
        List<String> out = new ArrayList<>();
        for (String e : journal) {
            if (e.startsWith(prefix)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * A container whose create finished, with its init {@link #INIT} (not in the process table until made so). Every
     * container of a test gets that init: make one live and all are.
     */
    ContainerRecord container(String id) {
        store.reserve(id);
        ContainerRecord r = new ContainerRecord();
        r.id = id;
        r.bundle = "/bundles/" + id;
        r.createComplete = true;
        r.initPid = INIT;
        r.initStartTicks = INIT_TICKS;
        r.cgroupPaths = Map.of("unified", CGROUP);
        r.createdCgroups = List.of(CGROUP);
        store.save(r);
        return r;
    }

    /** Created: the init is alive and exec.fifo is there. */
    ContainerRecord created(String id) throws Exception {
        ContainerRecord r = container(id);
        processes.running(INIT, INIT_TICKS);
        Files.createFile(store.fifo(id));
        return r;
    }

    /** Running: the init is alive, exec.fifo is gone. */
    ContainerRecord running(String id) {
        ContainerRecord r = container(id);
        processes.running(INIT, INIT_TICKS);
        return r;
    }

    /** Stopped: the init has exited. */
    ContainerRecord stopped(String id) {
        return container(id);
    }

    /** Paused: the init is alive and the cgroup frozen. */
    ContainerRecord paused(String id) {
        ContainerRecord r = running(id);
        cgroups.frozen(true);
        return r;
    }

    /** Saves a changed record. */
    void save(ContainerRecord r) {
        store.save(r);
    }

    static HookSpec hook(String path) {
        return new HookSpec(path, List.of(path), null, 0);
    }

    /** The system calls, counted. A named class keeps the journal free of lambdas' noise. */
    private final class CountingSupplier implements Supplier<Syscalls> {
        @Override
        public Syscalls get() {
            syscallsReached++;
            return sys;
        }
    }
}
