package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;
import org.junit.jupiter.api.Test;

/** stdio, --preserve-fds, LISTEN_FDS, and the --console-socket protocol. */
class StdioTest extends SpecTest {

    @Test
    void stdinStdoutAndStderrArePassedThrough() {
        Path b = bundle("sh", "-c", "read line; echo \"got $line\"; echo oops >&2")
                .write();
        Jrunc.Result r = jrunc.exec(
                Map.of(), "hello\n".getBytes(StandardCharsets.UTF_8), "run", "-b", b.toString(), uniqueId("stdio"));
        assertEquals("got hello\n", r.out());
        assertTrue(r.err().contains("oops"), r.err());
    }

    @Test
    void onlyStdioIsOpenInTheContainer() {
        Path b = bundle("ls", "/proc/self/fd").write();
        Jrunc.Result r = jrunc.run("run", "-b", b.toString(), uniqueId("fds")).ok();
        // ls itself holds fd 3 for the directory it lists
        assertEquals(List.of("0", "1", "2", "3"), r.out().lines().toList());
    }

    private Jrunc.Result viaShell(String script, Map<String, String> env) {
        return Jrunc.raw(List.of("bash", "-c", script), env, null, 120);
    }

    @Test
    void preserveFdsPassesExtraDescriptors() throws Exception {
        Path data = Files.writeString(tmp.resolve("data"), "passed through fd 3");
        Path b = bundle("sh", "-c", "cat <&3; ls /proc/self/fd | tr '\\n' ' '").write();
        String script = "exec 3<" + data + "; exec " + Jrunc.binary() + " --root " + jrunc.root()
                + " run --preserve-fds 1 -b " + b + " " + uniqueId("preserve");
        Jrunc.Result r = viaShell(script, Map.of());
        assertEquals(0, r.exit(), r.err());
        assertEquals("passed through fd 3" + "0 1 2 3 4 ", r.out());
    }

    @Test
    void listenFdsAreSocketActivation() throws Exception {
        Path data = Files.writeString(tmp.resolve("sock"), "activated");
        Path b = bundle("sh", "-c", "echo $LISTEN_FDS $LISTEN_PID; cat <&3").write();
        String script = "exec 3<" + data + "; export LISTEN_FDS=1 LISTEN_PID=$$; exec " + Jrunc.binary() + " --root "
                + jrunc.root() + " run -b " + b + " " + uniqueId("listen");
        Jrunc.Result r = viaShell(script, Map.of());
        assertEquals(0, r.exit(), r.err());
        assertEquals("1 1\nactivated", r.out());
    }

    private Path terminalBundle(String... args) {
        Bundle bundle = bundle(args);
        bundle.process().put("terminal", true);
        return bundle.write();
    }

    @Test
    void consoleSocketReceivesThePtyMaster() throws Exception {
        Path b = terminalBundle("sh", "-c", "tty; readlink /proc/self/fd/0; stat -c %F /dev/console; echo done");
        Syscalls sys = LinuxSyscalls.get();
        Path sock = tmp.resolve("console.sock");
        int listener = sys.listenUnix(sock.toString());
        String id = uniqueId("tty");
        CompletableFuture<int[]> received = CompletableFuture.supplyAsync(() -> {
            int conn = sys.accept(listener);
            byte[] name = new byte[256];
            int[] len = new int[1];
            int[] fds = sys.recvFds(conn, name, len, 4);
            sys.close(conn);
            return new int[] {fds.length == 1 ? fds[0] : -1, len[0], name[0]};
        });
        jrunc.run("create", "--console-socket", sock.toString(), "-b", b.toString(), id)
                .ok();
        int[] got = received.get();
        sys.close(listener);
        assertTrue(got[0] >= 0, "one fd received");
        jrunc.run("start", id).ok();
        String out = PtyOutput.readUntil(sys, got[0], "done");
        String text = out.replace("\r", "");
        assertTrue(text.startsWith("/dev/pts/"), text);
        assertTrue(text.contains("character special file"), "/dev/console is the pty: " + text);
        jrunc.run("delete", "-f", id).ok();
    }

    /**
     * containerd's shim reads what `create --console-socket` prints until end of file (so do Kubernetes pods with
     * {@code tty: true}): once create has exited, the container process waiting for `start` must hold the terminal
     * only, not create's stdout and stderr, or the caller waits forever (issue 11: `ctr run --tty` hung).
     */
    @Test
    void aTerminalCreateLeavesItsCallersPipesWhenItExits() throws Exception {
        Path b = terminalBundle("true");
        Syscalls sys = LinuxSyscalls.get();
        Path sock = tmp.resolve("console.sock");
        int listener = sys.listenUnix(sock.toString());
        String id = uniqueId("ttypipes");
        CompletableFuture<Integer> master = CompletableFuture.supplyAsync(() -> {
            int conn = sys.accept(listener);
            int[] fds = sys.recvFds(conn, new byte[256], new int[1], 4);
            sys.close(conn);
            return fds.length == 1 ? fds[0] : -1;
        });
        Process create = new ProcessBuilder(
                        Jrunc.binary().toString(),
                        "--root",
                        jrunc.root().toString(),
                        "create",
                        "--console-socket",
                        sock.toString(),
                        "-b",
                        b.toString(),
                        id)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(create.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(create.getErrorStream()));
        try {
            assertEquals(0, create.waitFor(), "create failed");
            sys.close(master.get(60, TimeUnit.SECONDS));
            // create has exited; only a process still holding the pipes' write ends keeps them from ending
            try {
                out.get(20, TimeUnit.SECONDS);
                err.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("create's stdout or stderr did not reach end of file after it exited: the "
                        + "container process waiting for start still holds them");
            }
        } finally {
            sys.close(listener);
            jrunc.run("delete", "-f", id).ok();
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void terminalWithoutConsoleSocketIsRefusedForCreate() throws Exception {
        Bundle b = bundle("true");
        b.process().put("terminal", true);
        Jrunc.Result r = jrunc.run("create", "-b", b.write().toString(), uniqueId("notty"))
                .fails();
        assertTrue(r.err().contains("console socket"), r.err());
        assertNothingLeft();
    }

    /**
     * runc's foreground terminal: `run` with process.terminal and no --console-socket gets the pty master itself and
     * relays its own stdio through it (the input comes back echoed by the pty, lines end in CR LF), and exits with the
     * container's status. Checked broken: before the relay existed, run refused the config as create does.
     */
    @Test
    void foregroundRunRelaysThePtyToItsOwnStdio() throws Exception {
        Bundle b = bundle("sh", "-c", "tty; read x; echo got:$x; exit 3");
        b.process().put("terminal", true);
        Jrunc.Result r = jrunc.exec(
                Map.of(),
                "hello\n".getBytes(StandardCharsets.UTF_8),
                "run",
                "-b",
                b.write().toString(),
                uniqueId("fgtty"));
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.out().contains("/dev/pts/0\r\n"), "the container's stdin is the pty: " + r.out());
        assertTrue(r.out().contains("got:hello\r\n"), "stdin reached it through the pty: " + r.out());
        assertNoConsoleSocketLeft();
        assertNothingLeft();
    }

    /** The same for `exec -t` without --console-socket; with --detach it is refused, as runc refuses it. */
    @Test
    void foregroundExecTtyRelaysThePtyToItsOwnStdio() throws Exception {
        String id = uniqueId("fgexec");
        jrunc.run("run", "-d", "-b", bundle("sleep", "100").write().toString(), id)
                .ok();
        Jrunc.Result r = jrunc.exec(
                Map.of(),
                "abc\n".getBytes(StandardCharsets.UTF_8),
                "exec",
                "-t",
                id,
                "sh",
                "-c",
                "tty; read x; echo got:$x; exit 4");
        assertEquals(4, r.exit(), r.err());
        assertTrue(r.out().contains("/dev/pts/"), r.out());
        assertTrue(r.out().contains("got:abc\r\n"), r.out());
        Jrunc.Result detached = jrunc.run("exec", "-d", "-t", id, "true").fails();
        assertTrue(detached.err().contains("console socket"), detached.err());
        jrunc.run("delete", "-f", id).ok();
        assertNoConsoleSocketLeft();
        assertNothingLeft();
    }

    /**
     * A foreground run killed with SIGKILL while its container runs leaves no console-socket directory behind: the
     * path is removed as soon as the container's pty master has arrived. Checked broken: with the directory removed
     * only when run ends, the killed run left /tmp/jrunc-tty*.
     */
    @Test
    void aKilledForegroundRunLeavesNoConsoleSocket() throws Exception {
        Bundle b = bundle("sleep", "100");
        b.process().put("terminal", true);
        String id = uniqueId("fgkill");
        Process run = new ProcessBuilder(
                        Jrunc.binary().toString(),
                        "--root",
                        jrunc.root().toString(),
                        "run",
                        "-b",
                        b.write().toString(),
                        id)
                .redirectErrorStream(true)
                .start();
        for (int i = 0; i < 200 && !jrunc.run("state", id).out().contains("running"); i++) {
            Thread.sleep(25);
        }
        assertTrue(jrunc.run("state", id).out().contains("running"), "the container started");
        run.destroyForcibly().waitFor();
        assertNoConsoleSocketLeft();
        jrunc.run("delete", "-f", id).ok();
        assertNothingLeft();
    }

    private static void assertNoConsoleSocketLeft() throws Exception {
        try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            List<Path> left = tmp.filter(p -> p.getFileName().toString().startsWith("jrunc-tty"))
                    .toList();
            assertEquals(List.of(), left, "the private console socket directories are removed");
        }
    }

    /** One --pidfd-socket message: its payload and the pid its descriptor refers to (fdinfo's "Pid:"). */
    private record PidfdMessage(String payload, int pid) {}

    /** Accepts one connection on {@code listener}, receives the pidfd, reads what it refers to, closes it. */
    private static PidfdMessage receivePidfd(Syscalls sys, int listener) {
        int conn = sys.accept(listener);
        byte[] payload = new byte[64];
        int[] len = new int[1];
        int[] fds = sys.recvFds(conn, payload, len, 4);
        sys.close(conn);
        try {
            String info = Files.readString(Path.of("/proc/self/fdinfo/" + fds[0]));
            int pid = -1;
            for (String line : info.split("\n")) {
                if (line.startsWith("Pid:")) {
                    pid = Integer.parseInt(line.substring(4).trim());
                }
            }
            return new PidfdMessage(new String(payload, 0, len[0], StandardCharsets.US_ASCII), pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (int fd : fds) {
                sys.close(fd);
            }
        }
    }

    /**
     * --pidfd-socket, runc's protocol: create sends a pidfd of the container's process ("standard"), exec one of the
     * exec'd process ("setns"); a socket nobody listens on fails create naming the flag and leaves nothing. Fails on
     * 17985a3: the flag was refused.
     */
    @Test
    void pidfdSocketReceivesThePidfdOfTheProcess() throws Exception {
        Syscalls sys = LinuxSyscalls.get();
        Path sock = tmp.resolve("pidfd.sock");
        int listener = sys.listenUnix(sock.toString());
        String id = uniqueId("pidfd");
        CompletableFuture<PidfdMessage> created = CompletableFuture.supplyAsync(() -> receivePidfd(sys, listener));
        jrunc.run(
                        "create",
                        "--pidfd-socket",
                        sock.toString(),
                        "-b",
                        bundle("sleep", "100").write().toString(),
                        id)
                .ok();
        PidfdMessage m = created.get(30, TimeUnit.SECONDS);
        assertEquals("standard", m.payload());
        assertEquals(Bundle.parse(jrunc.run("state", id).ok().out()).get("pid").asInt(), m.pid());

        jrunc.run("start", id).ok();
        CompletableFuture<PidfdMessage> exec = CompletableFuture.supplyAsync(() -> receivePidfd(sys, listener));
        Path pidFile = tmp.resolve("exec.pid");
        jrunc.run("exec", "-d", "--pidfd-socket", sock.toString(), "--pid-file", pidFile.toString(), id, "sleep", "5")
                .ok();
        m = exec.get(30, TimeUnit.SECONDS);
        sys.close(listener);
        assertEquals("setns", m.payload());
        assertEquals(Integer.parseInt(Files.readString(pidFile).trim()), m.pid());
        jrunc.run("delete", "-f", id).ok();

        Jrunc.Result r = jrunc.run(
                        "create",
                        "--pidfd-socket",
                        tmp.resolve("nobody.sock").toString(),
                        "-b",
                        bundle("true").write().toString(),
                        uniqueId("pidfd"))
                .fails();
        assertEquals(1, r.err().trim().lines().count(), r.err());
        assertTrue(r.err().contains("--pidfd-socket " + tmp.resolve("nobody.sock")), r.err());
        assertNothingLeft();
    }
}
