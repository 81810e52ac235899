package org.jrunc.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.hooks.HookSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateModelTest {
    @TempDir
    Path tmp;

    @Test
    void procStatSurvivesHostileCommandNames() {
        String stat = "1234 (evil) R (x y)) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 123 4 5";
        ProcStat st = ProcStat.parse(1234, stat);
        assertEquals('S', st.state());
        assertEquals(987654L, st.startTicks());
        assertNull(ProcStat.parse(1, "garbage"));
    }

    @Test
    void ownProcessIsReadFromTheKernel() {
        int pid = (int) ProcessHandle.current().pid();
        ProcStat st = ProcStat.read(pid);
        assertTrue(ProcStat.isSameLiveProcess(pid, st.startTicks()));
        assertTrue(!ProcStat.isSameLiveProcess(pid, st.startTicks() + 1), "another start time is another process");
    }

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
        assertEquals("container does not exist", assertThrows(JruncException.class, () -> store.load("b")).getMessage());
        ContainerRecord r = new ContainerRecord();
        r.id = "a";
        store.save(r);
        assertEquals(List.of("state.json"), Files.list(store.dir("a")).map(p -> p.getFileName().toString()).toList(),
                "the temp file was renamed away");
        store.remove("a");
        assertEquals(List.of(), store.ids());
    }

    @Test
    void idsAreValidatedLikeRunc() {
        for (String bad : List.of("", "a/b", "..", ".", "sp ace", "ü")) {
            assertThrows(JruncException.class, () -> StateStore.validateId(bad), bad);
        }
        StateStore.validateId("a-b_c.d+e9");
    }

    @Test
    void statusIsDerivedFromTheKernel() throws Exception {
        Path fifo = tmp.resolve("exec.fifo");
        ContainerRecord r = new ContainerRecord();
        r.id = "x";
        r.createComplete = false;
        r.creatorPid = (int) ProcessHandle.current().pid();
        r.creatorStartTicks = ProcStat.read(r.creatorPid).startTicks();
        assertEquals(Status.CREATING, StatusProbe.status(r, fifo));
        r.creatorStartTicks++;
        assertEquals(Status.STOPPED, StatusProbe.status(r, fifo), "a create that died half-way");
        r.createComplete = true;
        r.initPid = r.creatorPid;
        r.initStartTicks = ProcStat.read(r.initPid).startTicks();
        Files.createFile(fifo);
        assertEquals(Status.CREATED, StatusProbe.status(r, fifo));
        Files.delete(fifo);
        assertEquals(Status.RUNNING, StatusProbe.status(r, fifo));
        r.initStartTicks--;
        assertEquals(Status.STOPPED, StatusProbe.status(r, fifo), "pid reuse is not mistaken for the init");
    }
}
