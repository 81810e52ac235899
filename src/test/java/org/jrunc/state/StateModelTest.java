package org.jrunc.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.cgroups.manager.CgroupfsManagers;
import org.jrunc.hooks.HookSpec;
import org.jrunc.process.LinuxProcesses;
import org.jrunc.process.ProcStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateModelTest {
    @TempDir
    Path tmp;

    @Test
    void recordRoundTrips() {
        ContainerRecord r = new ContainerRecord();
        r.id = "c1";
        r.bundle = "/b";
        r.annotations = Map.of("k", "v \"quoted\"");
        r.initPid = 42;
        r.initStartTicks = 99;
        r.cgroupPaths = Map.of("unified", "/sys/fs/cgroup/jrunc/c1");
        r.createdCgroups = List.of("/sys/fs/cgroup/jrunc/c1");
        r.poststopHooks = List.of(new HookSpec("/bin/true", List.of("true", "x"), null, 5));
        r.createComplete = true;
        ContainerRecord back = ContainerRecord.fromJson(r.toJson());
        assertEquals(r.toJson(), back.toJson());
        assertNull(back.poststopHooks.get(0).env(), "absent env stays absent (runtime's env is used)");
        assertEquals(false, r.toJson().contains("monitorPid"), "no monitor, no monitor fields");
    }

    @Test
    void monitorFieldsRoundTrip() {
        ContainerRecord r = new ContainerRecord();
        r.id = "c1";
        r.monitorPid = 77;
        r.monitorStartTicks = 12345;
        ContainerRecord back = ContainerRecord.fromJson(r.toJson());
        assertEquals(77, back.monitorPid);
        assertEquals(12345, back.monitorStartTicks);
    }

    @Test
    void storeClaimsAnIdOnlyOnce() throws Exception {
        StateStore store = new StateStore(tmp.resolve("root").toString());
        store.reserve("a");
        JruncException e = assertThrows(JruncException.class, () -> store.reserve("a"));
        assertEquals("container with given ID already exists", e.getMessage());
        assertEquals(
                "container does not exist",
                assertThrows(JruncException.class, () -> store.load("b")).getMessage());
        ContainerRecord r = new ContainerRecord();
        r.id = "a";
        store.save(r);
        assertEquals(
                List.of("state.json"),
                Files.list(store.dir("a")).map(p -> p.getFileName().toString()).toList(),
                "the temp file was renamed away");
        store.remove("a");
        assertEquals(List.of(), store.ids());
    }

    /** fails on fbadc0c: the line named the container's directory and then only that path again as the reason. */
    @Test
    void aRootThatCannotBeMadeIsNamedWithTheReason() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "");
        StateStore store = new StateStore(file.resolve("root").toString());
        JruncException e = assertThrows(JruncException.class, () -> store.reserve("a"));
        assertEquals("cannot create state directory " + file.resolve("root") + ": Not a directory", e.getMessage());
        StateStore fallback = new StateStore(file.resolve("root").toString(), "XDG_RUNTIME_DIR is not set");
        e = assertThrows(JruncException.class, () -> fallback.reserve("a"));
        assertTrue(e.getMessage().endsWith(": Not a directory (XDG_RUNTIME_DIR is not set)"), e.getMessage());
        assertFalse(Files.exists(file.resolve("root")));
    }

    /** runc's mode for its directory under $XDG_RUNTIME_DIR: 0700 and sticky, which keeps it from being pruned. */
    @Test
    void theRootUnderXdgRuntimeDirIsPrivateAndSticky() throws Exception {
        StateStore store = StateStore.underXdgRuntimeDir(tmp.toString());
        assertEquals(tmp.resolve("jrunc"), store.root());
        store.reserve("a");
        assertEquals(01700, ((Integer) Files.getAttribute(store.root(), "unix:mode")) & 07777);
    }

    @Test
    void idsAreValidatedLikeRunc() {
        for (String bad : List.of("", "a/b", "..", ".", "sp ace", "ü")) {
            assertThrows(JruncException.class, () -> StateStore.validateId(bad), bad);
        }
        StateStore.validateId("a-b_c.d+e9");
    }

    /** The probe on this host (/proc, cgroupfs); the transitions in detail: ContainerStateTest, on fakes. */
    @Test
    void statusIsDerivedFromTheKernel() throws Exception {
        StatusProbe probe = new StatusProbe(LinuxProcesses.HOST, CgroupfsManagers.HOST);
        Path fifo = tmp.resolve("exec.fifo");
        ContainerRecord r = new ContainerRecord();
        r.id = "x";
        r.createComplete = false;
        r.creatorPid = (int) ProcessHandle.current().pid();
        r.creatorStartTicks = ProcStat.read(r.creatorPid).startTicks();
        assertEquals(Status.CREATING, probe.status(r, fifo));
        r.creatorStartTicks++;
        assertEquals(Status.STOPPED, probe.status(r, fifo), "a create that died half-way");
        r.createComplete = true;
        r.initPid = r.creatorPid;
        r.initStartTicks = ProcStat.read(r.initPid).startTicks();
        Files.createFile(fifo);
        assertEquals(Status.CREATED, probe.status(r, fifo));
        Files.delete(fifo);
        assertEquals(Status.RUNNING, probe.status(r, fifo));
        r.initStartTicks--;
        assertEquals(Status.STOPPED, probe.status(r, fifo), "pid reuse is not mistaken for the init");
    }
}
