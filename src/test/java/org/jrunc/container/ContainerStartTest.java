package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.json.Json;
import org.jrunc.state.ContainerRecord;
import org.junit.jupiter.api.Test;

/**
 * `start`: which states it refuses with runc's messages, the release of the init through exec.fifo (a plain file
 * stands in for the fifo: the init's "0" is already in it), the poststart hooks and the kill of the init when one
 * fails, and that without hooks no system call is reached.
 */
class ContainerStartTest extends OperationTest {
    private ContainerRecord start(String id) {
        return new ContainerStart(h.host()).start(id);
    }

    private String refusal(String id) {
        return assertThrows(JruncException.class, () -> start(id)).getMessage();
    }

    /** The init's side of exec.fifo: its byte, then end of file (its execve closed the fifo). */
    private void initWrote(String id, String bytes) throws Exception {
        Files.writeString(h.store.fifo(id), bytes);
    }

    /** A real fifo (what exec.fifo is), made by mkfifo(1); the test is skipped where there is none. */
    private static Path mkfifo(Path fifo) throws Exception {
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here");
            return fifo;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        return fifo;
    }

    @Test
    void aCreatedContainerIsReleasedAndItsFifoRemoved() throws Exception {
        h.created("c1");
        initWrote("c1", "0");
        assertEquals(4242, start("c1").initPid);
        assertEquals(0, h.syscallsReached, "start without poststart hooks makes no system call (no JNA)");
        assertEquals(List.of(), h.processes.signals());
        assertEquals(List.of("cgroup isFrozen"), h.journal("cgroup"), "the status probe's freezer, nothing else");
        assertFalse(Files.exists(h.store.fifo("c1")), "without exec.fifo the container counts as running");
        assertEquals(
                "running",
                new ContainerState(h.host()).status(h.store.load("c1")).value());
    }

    @Test
    void anInitThatExitedBeforeItsByteFailsTheStart() throws Exception {
        h.created("c1");
        initWrote("c1", "");
        assertEquals("container init did not signal execve readiness (it exited)", refusal("c1"));
    }

    @Test
    void whenTheInitDiesWhileStartWaitsTheFifoIsUnblocked() throws Exception {
        h.running("c1");
        Path fifo = mkfifo(h.store.fifo("c1"));
        Thread death = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            h.processes.zombie(FakeHost.INIT, FakeHost.INIT_TICKS);
        });
        death.start();
        assertEquals("container init did not signal execve readiness (it exited)", refusal("c1"));
        death.join();
    }

    /**
     * The watchdog's own open must never block: when the reader has already let go of the fifo (it read the init's
     * end of file and is finishing) while the init is gone, nobody will ever open it for reading again. Opening it
     * for writing only waited forever there (issue 11: `start` hung about once in 1,500 under load).
     */
    @Test
    void unblockingAFifoThatNobodyReadsReturnsAtOnce() throws Exception {
        Files.createDirectories(h.store.dir("c1"));
        Path fifo = mkfifo(h.store.dir("c1").resolve("lonely.fifo"));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ContainerStart.unblock(fifo), "unblock hung");
        assertTrue(Files.exists(fifo), "the fifo is left for start to remove");
    }

    @Test
    void onlyACreatedContainerStarts() throws Exception {
        h.stopped("c1");
        assertEquals("cannot start a container that has stopped", refusal("c1"));
        h.running("c2");
        assertEquals("cannot start an already running container", refusal("c2"));
        h.paused("c3");
        assertEquals("cannot start a container in the paused state", refusal("c3"));
        ContainerRecord r = h.container("c4");
        r.createComplete = false;
        r.creatorPid = h.processes.self().pid();
        r.creatorStartTicks = h.processes.self().startTicks();
        h.save(r);
        assertEquals("cannot start a container in the creating state", refusal("c4"));
        assertEquals("container does not exist", refusal("c5"));
        assertEquals(List.of(), h.processes.signals(), "a refused start signals nobody");
    }

    @Test
    void poststartHooksRunAfterTheReleaseWithTheRunningState() throws Exception {
        ContainerRecord r = h.created("c1");
        r.poststartHooks = List.of(FakeHost.hook("/hooks/a"), FakeHost.hook("/hooks/b"));
        h.save(r);
        initWrote("c1", "0");
        h.hooks.onRun(() -> h.journal.add("fifo there: " + Files.exists(h.store.fifo("c1"))));
        start("c1");
        assertEquals(
                List.of("hook poststart /hooks/a", "fifo there: false", "hook poststart /hooks/b", "fifo there: false"),
                h.journal.subList(h.journal.size() - 4, h.journal.size()));
        Map<String, Object> state = Json.parseObject(h.hooks.stateOf("poststart"));
        assertEquals("running", state.get("status"));
        assertEquals(4242L, ((Number) state.get("pid")).longValue());
        assertEquals("/bundles/c1", state.get("bundle"));
        assertEquals(1, h.syscallsReached, "the hooks need the system calls");
        assertSame(h.sys, h.hooks.syscallsGiven().get(0));
        assertEquals(List.of(), h.processes.signals());
    }

    /**
     * The runtime-spec: a failing poststart hook is a warning, and the remaining hooks and the lifecycle continue
     * (issue 12: jrunc, like runc, failed start and killed the container).
     */
    @Test
    void aFailingPoststartHookIsAWarningAndTheRestRun() throws Exception {
        ContainerRecord r = h.created("c1");
        r.poststartHooks = List.of(FakeHost.hook("/hooks/a"), FakeHost.hook("/hooks/b"), FakeHost.hook("/hooks/c"));
        h.save(r);
        initWrote("c1", "0");
        h.hooks.failing("/hooks/b", "no network");
        start("c1");
        assertEquals(
                List.of("hook poststart /hooks/a", "hook poststart /hooks/b", "hook poststart /hooks/c"),
                h.journal.subList(h.journal.size() - 3, h.journal.size()));
        assertTrue(h.processes.alive(FakeHost.INIT), "the container goes on");
        assertEquals(List.of(), h.processes.signals());
    }
}
