package org.jrunc.process;

import java.util.ArrayList;
import java.util.List;
import org.jrunc.sys.Syscalls;

/**
 * A {@link Spawner} for the unit tests of create and exec: it starts nothing, but reports a pid (entered into a
 * {@link FakeProcesses} as running), or fails; each spawn is logged as "spawn MAIN-CLASS" in the shared journal and its
 * request kept.
 */
public final class FakeSpawner implements Spawner {
    private final List<String> journal;
    private final FakeProcesses processes;
    private final List<SpawnRequest> requests = new ArrayList<>();
    private int pid = 4242;
    private long startTicks = 777;
    private RuntimeException failure;

    public FakeSpawner(List<String> journal, FakeProcesses processes) {
        this.journal = journal;
        this.processes = processes;
    }

    /** The pid and start time of what the next spawn "starts". */
    public FakeSpawner spawns(int newPid, long newStartTicks) {
        pid = newPid;
        startTicks = newStartTicks;
        return this;
    }

    /** The next spawns fail with {@code e} (after being logged). */
    public FakeSpawner failsWith(RuntimeException e) {
        failure = e;
        return this;
    }

    public List<SpawnRequest> requests() {
        return requests;
    }

    @Override
    public InitSpawner.Spawned spawn(Syscalls sys, SpawnRequest req) {
        requests.add(req);
        journal.add("spawn " + mainClass(req.argv()));
        if (failure != null) {
            throw failure;
        }
        processes.running(pid, startTicks);
        return new InitSpawner.Spawned(pid, 0);
    }

    private static String mainClass(String[] argv) {
        for (String a : argv) {
            if (a.startsWith("org.jrunc.")) {
                return a;
            }
        }
        return argv[0];
    }
}
