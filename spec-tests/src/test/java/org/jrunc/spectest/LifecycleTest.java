package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The OCI lifecycle and runc's operation x state matrix, driven through bin/jrunc. */
class LifecycleTest extends SpecTest {

    private JsonNode state(String id) {
        return Bundle.parse(jrunc.run("state", id).ok().out());
    }

    private void awaitStatus(String id, String status) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (state(id).get("status").asText().equals(status)) {
                return;
            }
            Thread.sleep(25);
        }
        assertEquals(status, state(id).get("status").asText(), "status of " + id);
    }

    @Test
    void createStartKillDelete() throws Exception {
        Path b = bundle("sleep", "1000").write();
        String id = uniqueId("life");
        jrunc.run("create", "--bundle", b.toString(), id).ok();
        JsonNode s = state(id);
        assertEquals("created", s.get("status").asText());
        assertEquals(id, s.get("id").asText());
        assertEquals(b.toString(), s.get("bundle").asText());
        int pid = s.get("pid").asInt();
        assertTrue(pid > 0 && Files.exists(Path.of("/proc/" + pid)), "init pid " + pid + " exists");
        assertTrue(s.has("ociVersion"));
        assertTrue(Files.exists(jrunc.root().resolve(id).resolve("exec.fifo")));

        jrunc.run("start", id).ok();
        awaitStatus(id, "running");
        assertEquals(pid, state(id).get("pid").asInt(), "start keeps the init pid");
        assertFalse(Files.exists(jrunc.root().resolve(id).resolve("exec.fifo")), "start removes exec.fifo");
        String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"))
                .replace('\0', ' ')
                .trim();
        assertEquals("sleep 1000", cmdline, "the init became the container process");

        // sleep has no TERM handler, and the kernel drops unhandled signals to a pid namespace's init: KILL it
        jrunc.run("kill", id, "KILL").ok();
        awaitStatus(id, "stopped");
        assertEquals(0, state(id).get("pid").asInt(), "a stopped container reports pid 0, like runc");
        jrunc.run("delete", id).ok();
        assertTrue(jrunc.run("state", id).fails().err().contains("does not exist"));
        assertNothingLeft();
    }

    @Test
    void runReturnsTheContainersExitStatusAndRemovesIt() throws Exception {
        Path b = bundle("sh", "-c", "echo out; echo err >&2; exit 3").write();
        Jrunc.Result r = jrunc.run("run", "-b", b.toString(), uniqueId("run"));
        assertEquals(3, r.exit());
        assertEquals("out\n", r.out());
        assertTrue(r.err().contains("err"), r.err());
        assertNothingLeft();
    }

    @Test
    void runKilledBySignalExitsWith128PlusSignal() throws Exception {
        Path b = bundle("sleep", "1000").write();
        String id = uniqueId("sig");
        CompletableFuture<Jrunc.Result> run =
                CompletableFuture.supplyAsync(() -> jrunc.run("run", "-b", b.toString(), id));
        for (int i = 0; i < 400; i++) {
            Jrunc.Result s = jrunc.run("state", id);
            if (s.exit() == 0 && Bundle.parse(s.out()).get("status").asText().equals("running")) {
                break;
            }
            Thread.sleep(25);
        }
        jrunc.run("kill", id, "KILL").ok();
        assertEquals(137, run.get().exit());
        assertNothingLeft();
    }

    @Test
    void runKeepLeavesAStoppedContainer() throws Exception {
        Path b = bundle("true").write();
        String id = uniqueId("keep");
        assertEquals(0, jrunc.run("run", "--keep", "-b", b.toString(), id).exit());
        assertEquals("stopped", state(id).get("status").asText());
        jrunc.run("delete", id).ok();
        assertNothingLeft();
    }

    @Test
    void runDetachLeavesItRunning() throws Exception {
        Path b = bundle("sleep", "1000").write();
        String id = uniqueId("detach");
        jrunc.run("run", "--detach", "-b", b.toString(), id).ok();
        awaitStatus(id, "running");
        jrunc.run("kill", id, "9").ok();
        awaitStatus(id, "stopped");
        jrunc.run("delete", id).ok();
        assertNothingLeft();
    }

    @Test
    void startOnlyWorksOnACreatedContainer() throws Exception {
        Path b = bundle("sleep", "1000").write();
        String id = uniqueId("start2");
        jrunc.run("create", "-b", b.toString(), id).ok();
        jrunc.run("start", id).ok();
        Jrunc.Result again = jrunc.run("start", id).fails();
        assertTrue(again.err().contains("cannot start an already running container"), again.err());
        jrunc.run("kill", id, "KILL").ok();
        awaitStatus(id, "stopped");
        Jrunc.Result stopped = jrunc.run("start", id).fails();
        assertTrue(stopped.err().contains("cannot start a container that has stopped"), stopped.err());
        jrunc.run("delete", id).ok();
    }

    @Test
    void deleteOfARunningContainerNeedsForce() throws Exception {
        Path b = bundle("sleep", "1000").write();
        String id = uniqueId("delrun");
        jrunc.run("run", "-d", "-b", b.toString(), id).ok();
        Jrunc.Result r = jrunc.run("delete", id).fails();
        assertTrue(r.err().contains("cannot delete container " + id + " that is not stopped: running"), r.err());
        assertEquals("running", state(id).get("status").asText(), "a refused delete changes nothing");
        jrunc.run("delete", "--force", id).ok();
        assertNothingLeft();
    }

    @Test
    void deleteOfACreatedContainerSucceedsWithoutForce() throws Exception {
        Path b = bundle("sleep", "1000").write();
        String id = uniqueId("delcreated");
        jrunc.run("create", "-b", b.toString(), id).ok();
        jrunc.run("delete", id).ok();
        assertNothingLeft();
    }

    @Test
    void killOfAStoppedContainer() throws Exception {
        Path b = bundle("true").write();
        String id = uniqueId("killstopped");
        jrunc.run("run", "--keep", "-b", b.toString(), id).ok();
        Jrunc.Result r = jrunc.run("kill", id, "TERM").fails();
        assertTrue(r.err().contains("container not running"), r.err());
        jrunc.run("kill", "--all", id, "KILL").ok();
        jrunc.run("delete", id).ok();
    }

    @Test
    void unknownIds() throws Exception {
        assertTrue(jrunc.run("state", "nope").fails().err().contains("container does not exist"));
        assertTrue(jrunc.run("start", "nope").fails().err().contains("does not exist"));
        assertTrue(jrunc.run("kill", "nope").fails().err().contains("does not exist"));
        assertTrue(jrunc.run("delete", "nope").fails().err().contains("does not exist"));
        jrunc.run("delete", "--force", "nope").ok();
        assertNothingLeft();
    }

    @Test
    void duplicateIdIsRefusedAndChangesNothing() throws Exception {
        Path b = bundle("sleep", "1000").write();
        String id = uniqueId("dup");
        jrunc.run("create", "-b", b.toString(), id).ok();
        int pid = state(id).get("pid").asInt();
        Jrunc.Result r = jrunc.run("create", "-b", b.toString(), id).fails();
        assertTrue(r.err().contains("container with given ID already exists"), r.err());
        assertEquals("created", state(id).get("status").asText());
        assertEquals(pid, state(id).get("pid").asInt());
        jrunc.run("delete", id).ok();
        assertNothingLeft();
    }

    @Test
    void listShowsContainersInTableAndJson() throws Exception {
        Path b = bundle("sleep", "1000").write();
        String id = uniqueId("list");
        assertEquals("null\n", jrunc.run("list", "--format", "json").ok().out());
        jrunc.run("create", "-b", b.toString(), id).ok();
        String table = jrunc.run("list").ok().out();
        assertTrue(table.startsWith("ID"), table);
        assertTrue(table.contains(id) && table.contains("created"), table);
        JsonNode json = Bundle.parse(jrunc.run("list", "-f", "json").ok().out());
        assertEquals(id, json.get(0).get("id").asText());
        assertEquals(List.of(id), List.of(jrunc.run("list", "-q").ok().out().trim()));
        jrunc.run("delete", id).ok();
    }

    @Test
    void signalsByNameAndNumberReachTheInit() throws Exception {
        Bundle bundle = bundle();
        bundle.sh("trap 'echo usr1 > /tmp/got' USR1; trap 'echo hup >> /tmp/got' HUP; touch /tmp/ready; "
                + "while true; do sleep 0.1; done");
        bundle.config.with("root").put("readonly", false);
        Path b = bundle.write();
        String id = uniqueId("sig");
        jrunc.run("run", "-d", "-b", b.toString(), id).ok();
        Path got = bundle.rootfs().resolve("tmp/got");
        waitFor(bundle.rootfs().resolve("tmp/ready"));
        jrunc.run("kill", id, "SIGUSR1").ok();
        waitFor(got);
        jrunc.run("kill", id, "1").ok();
        for (int i = 0; i < 100 && !Files.readString(got).contains("hup"); i++) {
            Thread.sleep(50);
        }
        assertEquals("usr1\nhup\n", Files.readString(got));
        assertTrue(jrunc.run("kill", id, "SIGNOPE").fails().err().contains("unknown signal"));
        jrunc.run("delete", "-f", id).ok();
    }

    static void waitFor(Path p) throws InterruptedException {
        for (int i = 0; i < 200 && !Files.exists(p); i++) {
            Thread.sleep(25);
        }
        assertTrue(Files.exists(p), p + " appeared");
    }

    @Test
    void pidFileHoldsThePidWithoutNewline() throws Exception {
        Path b = bundle("sleep", "1000").write();
        String id = uniqueId("pidfile");
        Path pidFile = tmp.resolve("init.pid");
        jrunc.run("create", "--pid-file", pidFile.toString(), "-b", b.toString(), id)
                .ok();
        String content = Files.readString(pidFile);
        assertEquals(Integer.toString(state(id).get("pid").asInt()), content);
        try (var s = Files.list(tmp)) {
            assertEquals(
                    List.of(),
                    s.filter(p -> p.getFileName().toString().startsWith(".init.pid"))
                            .toList(),
                    "no temp file left next to the pid file");
        }
        jrunc.run("delete", id).ok();
    }
}
