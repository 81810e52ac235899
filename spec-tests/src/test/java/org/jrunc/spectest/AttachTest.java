package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * `create --attachable` / `run -d --attachable` and `jrunc attach` (jrunc extensions, like `singularity oci attach`):
 * output replayed from the monitor's buffer, input relayed, detaching, the exit status, a pty, the error without a
 * monitor, and nothing left by delete (no monitor process, socket or state directory; the leftover check finds
 * monitors by their main class).
 */
class AttachTest extends SpecTest {
    private static final String ECHO_LOOP = "echo ready; while read l; do echo got:$l; done";

    /** `run -d --attachable` of {@code b}; returns the new container's ID. */
    private String runAttachable(String name, Bundle b) {
        String id = uniqueId(name);
        jrunc.run("run", "-d", "--attachable", "-b", b.write().toString(), id).ok();
        return id;
    }

    private String status(String id) {
        return Bundle.parse(jrunc.run("state", id).ok().out()).get("status").asText();
    }

    private JsonNode stateFile(String id) throws Exception {
        return Bundle.parse(Files.readString(jrunc.root().resolve(id).resolve("state.json")));
    }

    /** Running, not merely a zombie waiting for whoever adopted it (the monitor is nobody's child for long). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void attachReplaysRelaysDetachesAndEndsWithTheExitStatus() throws Exception {
        Path b = bundle().sh(ECHO_LOOP).write();
        String id = uniqueId("attach");
        jrunc.run("create", "--attachable", "-b", b.toString(), id).ok();
        jrunc.run("start", id).ok();
        Path socket = jrunc.root().resolve(id).resolve("attach");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        long monitor = stateFile(id).get("monitorPid").asLong();
        assertTrue(alive(monitor), "the monitor runs");

        try (AttachClient first = AttachClient.start(jrunc, id)) {
            first.awaitOutput("ready\n", 30);
            first.send("hello\n");
            first.awaitOutput("got:hello\n", 30);
            first.closeInput();
            assertEquals(0, first.awaitExit(30), "the end of input detaches");
        }
        assertEquals("running", status(id), "detaching leaves the container running, its stdin open");

        try (AttachClient second = AttachClient.start(jrunc, id)) {
            second.awaitOutput("ready\ngot:hello\n", 30);
            second.send("again\n");
            second.awaitOutput("got:again\n", 30);
            second.closeInput();
            assertEquals(0, second.awaitExit(30));
        }

        try (AttachClient waiting = AttachClient.start(jrunc, "--no-stdin", id)) {
            waiting.awaitOutput("got:again\n", 30);
            jrunc.run("kill", id, "KILL").ok();
            assertEquals(137, waiting.awaitExit(30), "the container's status: killed by SIGKILL");
        }
        assertEquals("stopped", status(id));

        try (AttachClient late = AttachClient.start(jrunc, "--no-stdin", id)) {
            assertEquals(137, late.awaitExit(30), "a stopped container's monitor still answers");
            assertTrue(late.output().startsWith("ready\ngot:hello\n"), late.output());
        }
        jrunc.run("delete", id).ok();
        assertFalse(alive(monitor), "delete ends the monitor");
        assertFalse(Files.exists(socket), "delete removes the socket");
        assertNothingLeft();
    }

    @Test
    void closeStdinEndsTheContainersInputAndWaitsForItsExit() throws Exception {
        String id = runAttachable("close", bundle().sh("while read l; do echo got:$l; done; echo input-ended; exit 4"));
        try (AttachClient a = AttachClient.start(jrunc, "--close-stdin", id)) {
            a.send("one\n");
            a.closeInput();
            assertEquals(4, a.awaitExit(30));
            assertEquals("got:one\ninput-ended\n", a.output());
        }
        jrunc.run("delete", id).ok();
        assertNothingLeft();
    }

    @Test
    void stderrStaysStderr() throws Exception {
        String id = runAttachable("err", bundle().sh("echo to-out; echo to-err >&2"));
        try (AttachClient a = AttachClient.start(jrunc, "--no-stdin", id)) {
            assertEquals(0, a.awaitExit(30));
            assertEquals("to-out\n", a.output());
            assertEquals("to-err\n", a.errors());
        }
        jrunc.run("delete", id).ok();
    }

    @Test
    void aTerminalContainerIsAttachedThroughItsPty() throws Exception {
        Bundle bundle = bundle().sh("tty; while read l; do echo got:$l; done");
        bundle.process().put("terminal", true);
        Path b = bundle.write();
        String id = uniqueId("tty");
        jrunc.run("create", "--attachable", "-b", b.toString(), id).ok();
        jrunc.run("start", id).ok();
        try (AttachClient a = AttachClient.start(jrunc, id)) {
            a.awaitOutput("/dev/pts/", 30);
            a.send("hi\n");
            a.awaitOutput("got:hi", 30);
            a.closeInput();
            assertEquals(0, a.awaitExit(30));
        }
        assertEquals("running", status(id));
        jrunc.run("delete", "-f", id).ok();
        assertNothingLeft();
    }

    @Test
    void attachWithoutAMonitorIsAOneLineError() throws Exception {
        Path b = bundle("sleep", "30").write();
        String id = uniqueId("plain");
        jrunc.run("create", "-b", b.toString(), id).ok();
        Jrunc.Result r = jrunc.run("attach", id);
        assertEquals(1, r.exit());
        assertEquals(1, r.err().trim().lines().count(), r.err());
        assertTrue(r.err().contains(id) && r.err().contains("--attachable"), r.err());
        jrunc.run("delete", id).ok();
        assertNothingLeft();
    }

    @Test
    void aKilledMonitorLeavesTheContainerDeletable() throws Exception {
        String id = runAttachable("killed", bundle("sleep", "30"));
        long monitor = stateFile(id).get("monitorPid").asLong();
        ProcessHandle.of(monitor).ifPresent(ProcessHandle::destroyForcibly);
        for (int i = 0; i < 500 && alive(monitor); i++) {
            Thread.sleep(10);
        }
        Jrunc.Result r = jrunc.run("attach", "--no-stdin", id);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("monitor"), r.err());
        jrunc.run("delete", "-f", id).ok();
        assertNothingLeft();
    }

    @Test
    void attachableIsRefusedWhereItCannotWork() throws Exception {
        Path b = bundle("true").write();
        Jrunc.Result foreground = jrunc.run("run", "--attachable", "-b", b.toString(), uniqueId("fg"));
        assertEquals(1, foreground.exit());
        assertTrue(foreground.err().contains("--detach"), foreground.err());
        Jrunc.Result both = jrunc.run(
                "create",
                "--attachable",
                "--console-socket",
                tmp.resolve("s").toString(),
                "-b",
                b.toString(),
                uniqueId("both"));
        assertEquals(1, both.exit());
        assertTrue(both.err().contains("--console-socket"), both.err());
        assertNothingLeft();
    }

    /** Singularity's `oci mount` → `oci create` → `oci start` → `oci attach` → `oci kill` → `oci delete` → `oci umount`. */
    @Test
    void theSingularityFlowOnASifImage() throws Exception {
        Path image = Files.copy(
                SifMountTest.fixture("sylabs-singularity/busybox_amd64.sif"), tmp.resolve("busybox_amd64.sif"));
        Path b = tmp.resolve("sif-bundle");
        String id = uniqueId("sif");
        jrunc.run("mount", image.toString(), b.toString()).ok();
        try {
            JsonNode args = Bundle.parse(Files.readString(b.resolve("config.json")))
                    .get("process")
                    .get("args");
            assertEquals("sh", args.get(args.size() - 1).asText(), "the image's command is a shell: " + args);
            // a terminal, as Singularity's config has: the shell is interactive on the monitor's pty, which echoes
            // the input line, so only computed text tells the output apart
            jrunc.run("create", "--attachable", "-b", b.toString(), id).ok();
            jrunc.run("start", id).ok();
            try (AttachClient a = AttachClient.start(jrunc, id)) {
                a.send("tty; echo hi-$((6*7)); cat /etc/os-release 2>/dev/null | head -1; echo fin-$((1+1))\n");
                a.awaitOutput("/dev/pts/", 30);
                a.awaitOutput("hi-42\r\n", 30);
                a.awaitOutput("fin-2\r\n", 30);
                a.closeInput();
                assertEquals(0, a.awaitExit(30));
            }
            assertEquals("running", status(id));
            jrunc.run("kill", id, "KILL").ok();
            for (int i = 0; i < 500 && !status(id).equals("stopped"); i++) {
                Thread.sleep(10);
            }
            jrunc.run("delete", id).ok();
        } finally {
            jrunc.run("delete", "-f", id);
            jrunc.run("umount", b.toString()).ok();
        }
        assertFalse(Files.exists(b));
        assertNothingLeft();
    }

    @Test
    void stateOutputIsUnchangedByTheMonitor() throws Exception {
        String id = runAttachable("list", bundle("sleep", "30"));
        JsonNode state = Bundle.parse(jrunc.run("state", id).ok().out());
        assertEquals(
                List.of("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner"),
                iterate(state.fieldNames()));
        jrunc.run("delete", "-f", id).ok();
    }

    private static List<String> iterate(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
