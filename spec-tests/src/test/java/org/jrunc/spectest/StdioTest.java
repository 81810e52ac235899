package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;
import org.junit.jupiter.api.Test;

/** stdio, --preserve-fds, LISTEN_FDS, and the --console-socket protocol. */
class StdioTest extends SpecTest {

    @Test
    void stdinStdoutAndStderrArePassedThrough() {
        Path b = bundle("sh", "-c", "read line; echo \"got $line\"; echo oops >&2").write();
        Jrunc.Result r = jrunc.exec(Map.of(), "hello\n".getBytes(StandardCharsets.UTF_8), "run", "-b", b.toString(),
                uniqueId("stdio"));
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
        String script = "exec 3<" + data + "; exec " + Jrunc.binary() + " --root " + jrunc.root() + " run --preserve-fds 1 -b "
                + b + " " + uniqueId("preserve");
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

    @Test
    void consoleSocketReceivesThePtyMaster() throws Exception {
        Bundle bundle = bundle("sh", "-c", "tty; readlink /proc/self/fd/0; stat -c %F /dev/console; echo done");
        bundle.process().put("terminal", true);
        Path b = bundle.write();
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
        jrunc.run("create", "--console-socket", sock.toString(), "-b", b.toString(), id).ok();
        int[] got = received.get();
        sys.close(listener);
        assertTrue(got[0] >= 0, "one fd received");
        jrunc.run("start", id).ok();
        StringBuilder out = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!out.toString().contains("done")) {
            int n = sys.read(got[0], buf, 0, buf.length);
            if (n <= 0) {
                break;
            }
            out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        sys.close(got[0]);
        String text = out.toString().replace("\r", "");
        assertTrue(text.startsWith("/dev/pts/"), text);
        assertTrue(text.contains("character special file"), "/dev/console is the pty: " + text);
        jrunc.run("delete", "-f", id).ok();
    }

    @Test
    void terminalWithoutConsoleSocketIsRefusedForCreate() throws Exception {
        Bundle b = bundle("true");
        b.process().put("terminal", true);
        Jrunc.Result r = jrunc.run("create", "-b", b.write().toString(), uniqueId("notty")).fails();
        assertTrue(r.err().contains("console socket"), r.err());
        assertNothingLeft();
    }
}
