package org.jrunc.cgroups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.config.Resources;

/**
 * A {@link CgroupManager} (and the factory that hands it out) for the unit tests of the container operations: it
 * records every call in order ("freeze", "killAll 9", "destroy"...), keeps a settable list of pids and a frozen flag,
 * and throws a chosen exception from a chosen call.
 *
 * <pre>
 *   FakeCgroupManager cg = new FakeCgroupManager().withPids(101, 102);
 *   new ContainerKill(host).kill(id, 15, true); // a ContainerHost with this factory
 *   assertEquals(List.of("killAll 15"), cg.calls());
 * </pre>
 */
public final class FakeCgroupManager implements CgroupManager, CgroupManager.Factory {
    private final List<String> calls = new ArrayList<>();
    private final Map<String, RuntimeException> failures = new LinkedHashMap<>();
    private final List<Integer> pids = new ArrayList<>();
    private final List<Resources> resources = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> signalsSent = new ArrayList<>();
    private Map<String, String> paths = new LinkedHashMap<>();
    private List<String> createdDirs = new ArrayList<>();
    private Map<String, Object> stats = new LinkedHashMap<>();
    private OomCounter oom;
    private List<String> journal;
    private boolean frozen;
    private boolean processesSurviveKill;
    private int managersMade;

    // ---- the factory: every manager it makes is this one ----

    @Override
    public CgroupManager forCreate(ContainerCgroup cgroup) {
        managersMade++;
        paths = cgroup.dirs();
        createdDirs = cgroup.createdDirs();
        return this;
    }

    @Override
    public CgroupManager forRecorded(Map<String, String> recordedPaths, List<String> recordedCreatedDirs) {
        managersMade++;
        paths = recordedPaths;
        createdDirs = recordedCreatedDirs;
        return this;
    }

    // ---- set-up ----

    /** Also logs each call, as "cgroup CALL", into {@code shared} (the journal of the other fakes). */
    public FakeCgroupManager journal(List<String> shared) {
        journal = shared;
        return this;
    }

    public FakeCgroupManager withPids(Integer... p) {
        pids.clear();
        pids.addAll(List.of(p));
        return this;
    }

    public FakeCgroupManager frozen(boolean f) {
        frozen = f;
        return this;
    }

    /** By default a SIGKILL to every process empties the cgroup; with this it does not (a stuck process). */
    public FakeCgroupManager processesSurviveKill() {
        processesSurviveKill = true;
        return this;
    }

    /** {@code call} ("freeze", "killAll", "destroy", ... the method name) throws {@code e} after being recorded. */
    public FakeCgroupManager failOn(String call, RuntimeException e) {
        failures.put(call, e);
        return this;
    }

    public FakeCgroupManager withWarnings(String... w) {
        warnings.addAll(List.of(w));
        return this;
    }

    public FakeCgroupManager withStats(Map<String, Object> s) {
        stats = s;
        return this;
    }

    public FakeCgroupManager withOomCounter(OomCounter counter) {
        oom = counter;
        return this;
    }

    // ---- what happened ----

    /** The calls in order: the method name, with the signal for killAll ("killAll 9"). */
    public List<String> calls() {
        return calls;
    }

    /** What killAll sent through the caller's signaller, as "pid:signal". */
    public List<String> signalsSent() {
        return signalsSent;
    }

    /** The resources given to apply and update, in order. */
    public List<Resources> resources() {
        return resources;
    }

    public boolean isFrozenNow() {
        return frozen;
    }

    public int managersMade() {
        return managersMade;
    }

    private void call(String name, String detail) {
        calls.add(detail == null ? name : name + " " + detail);
        if (journal != null) {
            journal.add("cgroup " + calls.get(calls.size() - 1));
        }
        RuntimeException e = failures.get(name);
        if (e != null) {
            throw e;
        }
    }

    // ---- the manager ----

    @Override
    public Map<String, String> paths() {
        return paths;
    }

    @Override
    public List<String> createdDirs() {
        return createdDirs;
    }

    @Override
    public void create() {
        call("create", null);
    }

    @Override
    public List<String> apply(Resources r) {
        call("apply", null);
        resources.add(r);
        return new ArrayList<>(warnings);
    }

    @Override
    public List<String> update(Resources r) {
        call("update", null);
        resources.add(r);
        return new ArrayList<>(warnings);
    }

    @Override
    public List<Integer> pids() {
        call("pids", null);
        return new ArrayList<>(pids);
    }

    @Override
    public boolean isFrozen() {
        call("isFrozen", null);
        return frozen;
    }

    @Override
    public void freeze() {
        call("freeze", null);
        frozen = true;
    }

    @Override
    public void thaw() {
        call("thaw", null);
        frozen = false;
    }

    @Override
    public void killAll(int signal, Signaller signaller) {
        call("killAll", Integer.toString(signal));
        for (int pid : new ArrayList<>(pids)) {
            signaller.signal(pid, signal);
            signalsSent.add(pid + ":" + signal);
        }
        if (signal == 9 && !processesSurviveKill) {
            pids.clear();
        }
    }

    @Override
    public Map<String, Object> stats() {
        call("stats", null);
        return stats;
    }

    /** The counter given to {@link #withOomCounter}, else one that cannot count (no memory cgroup): -1 at once. */
    @Override
    public OomCounter watchOom() {
        call("watchOom", null);
        return oom != null ? oom : OomCounter.watch(Map.of(), KernelCgroupFiles.plain());
    }

    @Override
    public void destroy() {
        call("destroy", null);
    }
}
