package org.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.cgroups.manager.CgroupfsManagers;
import org.jrunc.config.ConfigException;
import org.jrunc.config.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rootless caller's container cgroup on fake trees where the caller owns only what was delegated to it: where it
 * goes (runc's cgroupfs rules), which hierarchies are left out, and which limits are refused naming their field.
 */
class RootlessCgroupsTest {
    private static final long UID = 1001;
    private static final Resources DEFAULT_DEVICES =
            Res.of().devices(Res.rule(false, null, null, null, "rwm")).build();

    @TempDir
    Path tmp;

    /** A pure v2 host whose root enables memory and pids, with the caller's session at /deleg/session. */
    private FakeCgroupTree v2WithSession(boolean delegated) {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        t.write("fs/cgroup.subtree_control", "memory pids\n");
        t.create("/deleg/session");
        t.asUnprivilegedUser();
        if (delegated) {
            t.delegate("fs/deleg");
            t.delegate("fs/deleg/session");
        }
        return t;
    }

    private static CgroupCaller caller(FakeCgroupTree t, String ownPath) {
        Map<String, String> own = new java.util.LinkedHashMap<>();
        for (Hierarchy h : t.layout().hierarchies()) {
            own.put(h.key(), ownPath);
        }
        return new CgroupCaller(true, UID, own);
    }

    private static CgroupManager manager(FakeCgroupTree t, ContainerCgroup cg) {
        return new CgroupfsManagers(t.layout(), t, new FakeCgroupTree.RecordingInstaller(), List.of("2MB"))
                .forCreate(cg);
    }

    /** fails on fbadc0c: the cgroup went to /jrunc/c1, which the user cannot make. */
    @Test
    void aDelegatedV2SubtreeTakesTheContainerNextToTheCallersCgroupWithItsLimits() {
        FakeCgroupTree t = v2WithSession(true);
        ContainerCgroup cg = new ContainerCgroup(t.layout(), caller(t, "/deleg/session"), t, null, "c1");
        assertEquals(Map.of("unified", tmp.resolve("fs/deleg/c1").toString()), cg.dirs());
        assertEquals(Map.of(), cg.unwritable());
        Resources r = Res.of()
                .memory(8L << 20, null, null)
                .pids(10)
                .devices(Res.rule(false, null, null, null, "rwm"))
                .build();
        assertEquals(List.of(), cg.validate(r, t, List.of("2MB")));
        FakeCgroupTree.RecordingInstaller installer = new FakeCgroupTree.RecordingInstaller();
        CgroupManager m = new CgroupfsManagers(t.layout(), t, installer, List.of("2MB")).forCreate(cg);
        m.create();
        m.apply(r);
        assertEquals("8388608", t.read("fs/deleg/c1/memory.max"));
        assertEquals("10", t.read("fs/deleg/c1/pids.max"));
        assertEquals(List.of(), installer.dirs, "no device program: an unprivileged caller cannot load one");
        m.freeze();
        assertTrue(m.isFrozen());
        m.thaw();
        m.destroy();
        assertFalse(Files.exists(tmp.resolve("fs/deleg/c1")));
        assertTrue(Files.isDirectory(tmp.resolve("fs/deleg/session")));
    }

    /** fails on fbadc0c: create failed making /jrunc ("cannot create cgroup"). */
    @Test
    void noLimitsAndNothingWritableMeansNoCgroup() {
        FakeCgroupTree t = v2WithSession(false);
        ContainerCgroup cg = new ContainerCgroup(t.layout(), caller(t, "/deleg/session"), t, null, "c1");
        assertEquals(Map.of(), cg.dirs());
        assertEquals(Map.of("unified", tmp.resolve("fs/deleg") + " is not writable by uid 1001"), cg.unwritable());
        assertEquals(List.of(), cg.validate(DEFAULT_DEVICES, t, List.of()));
        CgroupManager m = manager(t, cg);
        m.create();
        assertEquals(List.of(), m.apply(DEFAULT_DEVICES));
        assertEquals(List.of(), t.writes());
        assertFalse(Files.exists(tmp.resolve("fs/deleg/c1")));
        m.destroy();
    }

    /** fails on fbadc0c: create failed making /jrunc after claiming the ID ("cannot create cgroup"), not at planning. */
    @Test
    void limitsWithNothingWritableAreRefusedNamingTheField() {
        FakeCgroupTree t = v2WithSession(false);
        ContainerCgroup cg = new ContainerCgroup(t.layout(), caller(t, "/deleg/session"), t, "", "c1");
        assertEquals(
                "config.json: field linux.resources.memory.limit: needs a writable cgroup: " + tmp.resolve("fs/deleg")
                        + " is not writable by uid 1001 (no delegated cgroup v2 subtree)",
                assertThrows(
                                ConfigException.class,
                                () -> cg.validate(
                                        Res.of().memory(1L << 20, null, null).build(), t, List.of()))
                        .getMessage());
        assertEquals(
                "config.json: field linux.resources.pids.limit: needs a writable cgroup: " + tmp.resolve("fs/deleg")
                        + " is not writable by uid 1001 (no delegated cgroup v2 subtree)",
                assertThrows(
                                ConfigException.class,
                                () -> cg.validate(Res.of().pids(5).build(), t, List.of()))
                        .getMessage());
        assertEquals(
                "config.json: field linux.resources.unified: needs a writable cgroup: " + tmp.resolve("fs/deleg")
                        + " is not writable by uid 1001 (no delegated cgroup v2 subtree)",
                assertThrows(
                                ConfigException.class,
                                () -> cg.validate(
                                        Res.of()
                                                .unified(Map.of("memory.high", "1M"))
                                                .build(),
                                        t,
                                        List.of()))
                        .getMessage());
        assertEquals(List.of(), t.writes());
    }

    /** fails on fbadc0c: create failed making /jrunc/v1 instead of refusing the path at planning. */
    @Test
    void anExplicitCgroupsPathTheCallerCannotWriteIsRefusedEvenWithoutLimits() {
        FakeCgroupTree t = v2WithSession(false);
        assertEquals(
                "config.json: field linux.cgroupsPath: \"/mine/c1\" needs a writable cgroup: " + tmp.resolve("fs")
                        + " is not writable by uid 1001 (no delegated cgroup v2 subtree)",
                assertThrows(
                                ConfigException.class,
                                () -> new ContainerCgroup(t.layout(), caller(t, "/deleg/session"), t, "/mine/c1", "c1"))
                        .getMessage());
    }

    /** The kernel's delegation containment rule: the init moves itself from the caller's cgroup into the container's. */
    @Test
    void aWritableCgroupOutsideTheCallersSubtreeIsUnusable() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        t.create("/deleg");
        t.create("/user.slice/session");
        t.asUnprivilegedUser();
        t.delegate("fs/deleg");
        assertEquals(
                "config.json: field linux.cgroupsPath: \"/deleg/c1\" needs a writable cgroup: "
                        + tmp.resolve("fs/cgroup.procs") + " is not writable by uid 1001, which moving a process there "
                        + "from " + tmp.resolve("fs/user.slice/session") + " needs (no delegated cgroup v2 subtree)",
                assertThrows(
                                ConfigException.class,
                                () -> new ContainerCgroup(
                                        t.layout(), caller(t, "/user.slice/session"), t, "/deleg/c1", "c1"))
                        .getMessage());
    }

    /**
     * On a hybrid host with a delegated unified subtree the container keeps that one: pause, kill and events work
     * through cgroup.freeze, cgroup.kill and cgroup.events; limits of v1 controllers are refused naming the field.
     */
    @Test
    void aHybridHostUsesTheDelegatedUnifiedSubtreeAndRefusesV1Limits() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        t.create("/deleg/session");
        t.asUnprivilegedUser();
        t.delegate("unified/deleg");
        ContainerCgroup cg = new ContainerCgroup(t.layout(), caller(t, "/deleg/session"), t, null, "c1");
        assertEquals(Map.of("unified", tmp.resolve("unified/deleg/c1").toString()), cg.dirs());
        assertEquals(
                tmp.resolve("memory/deleg/session") + " is not writable by uid 1001",
                cg.unwritable().get("memory"));
        assertEquals(
                "config.json: field linux.resources.memory.limit: needs a writable cgroup: "
                        + tmp.resolve("memory/deleg/session") + " is not writable by uid 1001",
                assertThrows(
                                ConfigException.class,
                                () -> cg.validate(
                                        Res.of().memory(1L << 20, null, null).build(), t, List.of()))
                        .getMessage());
        CgroupManager m = manager(t, cg);
        m.create();
        m.apply(DEFAULT_DEVICES);
        m.freeze();
        assertEquals("1", t.read("unified/deleg/c1/cgroup.freeze"));
        m.thaw();
        m.killAll(9, (pid, signal) -> true);
        assertEquals(
                List.of(
                        "unified/deleg/c1/cgroup.freeze=1",
                        "unified/deleg/c1/cgroup.freeze=0",
                        "unified/deleg/c1/cgroup.kill=1"),
                t.writes());
    }

    /** runc's cgroupfs placement of a relative path: next to the caller's cgroup on v2, inside it on v1. */
    @Test
    void relativePathsGoBelowTheCallersOwnCgroup() {
        Hierarchy v2 = new Hierarchy("unified", true, List.of(), "/sys/fs/cgroup", "/");
        Hierarchy v1 = new Hierarchy("memory", false, List.of("memory"), "/sys/fs/cgroup/memory", "/");
        assertEquals("/user.slice/app.slice/c1", RootlessCgroups.path(v2, "/user.slice/app.slice/x.scope", "c1"));
        assertEquals("/user.slice/x.scope/a/c1", RootlessCgroups.path(v1, "/user.slice/x.scope", "a/c1"));
        assertEquals("/c1", RootlessCgroups.path(v2, "/x.scope", "c1"));
        assertEquals("/c1", RootlessCgroups.path(v1, "/", "c1"));
        assertEquals("/abs/c1", RootlessCgroups.path(v2, "/user.slice/x.scope", "/abs/c1"));
        assertEquals(null, RootlessCgroups.path(v2, null, "c1"));
    }

    /** A container without any cgroup: kill --all leaves its processes to the signal of the init (fails on fbadc0c). */
    @Test
    void killAllOfAContainerWithoutCgroupsSignalsNothing() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory");
        CgroupManager m = new CgroupfsManagers(t.layout(), t, null, List.of()).forRecorded(Map.of(), List.of());
        m.killAll(15, (pid, signal) -> {
            throw new AssertionError("signalled " + pid);
        });
        assertEquals(List.of(), m.pids());
        assertFalse(m.isFrozen());
    }
}
