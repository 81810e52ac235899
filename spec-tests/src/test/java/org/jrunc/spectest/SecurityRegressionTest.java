package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.jrunc.sys.KernelRelease;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * One real attack per class of container breakout runc was hit by, attempted from inside a container; each must fail.
 * How each test was checked against a deliberately broken build is noted on it.
 */
class SecurityRegressionTest extends SpecTest {

    /**
     * CVE-2024-21626: process.cwd = /proc/self/fd/N where N is a descriptor the runtime holds; the process would start
     * with its working directory on the host. The candidates are every directory descriptor the init holds while it
     * waits for start (read from the host), plus 3-12. Each must fail: descriptors are closed before the chdir, and
     * getcwd must show a path inside the root.
     * Checked broken: with the init keeping its O_PATH descriptor of the host's /proc (fd 18) open across the chdir
     * and without the getcwd check, the run with cwd /proc/self/fd/18 succeeded and `ls` listed the host's pids.
     */
    @Test
    void cwdThroughALeakedDescriptorCannotEscape() throws Exception {
        Set<Integer> candidates = new TreeSet<>();
        for (int n = 3; n <= 12; n++) {
            candidates.add(n);
        }
        String probe = uniqueId("fdprobe");
        jrunc.run("create", "-b", bundle("true").write().toString(), probe).ok();
        int pid = Bundle.parse(jrunc.run("state", probe).ok().out()).get("pid").asInt();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                if (Files.isDirectory(fd)) {
                    candidates.add(Integer.parseInt(fd.getFileName().toString()));
                }
            }
        }
        jrunc.run("delete", probe).ok();
        for (int n : candidates) {
            Bundle b = bundle("sh", "-c", "pwd; ls");
            b.process().put("cwd", "/proc/self/fd/" + n);
            Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("cwd" + n));
            assertTrue(r.exit() != 0, "fd " + n + " must not be a usable cwd: " + r.out());
            assertFalse(r.out().contains("unreachable"), r.out());
        }
        assertNothingLeft();
    }

    /**
     * No runtime process is visible in the container while it holds a view of the host's filesystem (issue 11, defect
     * 5). A container with CAP_SYS_PTRACE scans /proc/[0-9]* without pause during 20 execs; for every process that is
     * not its own (its pid namespace's process 1 is the container's init) it looks for a file only the host has
     * through /proc/PID/root, writes a file there if it can, and appends to /proc/PID/exe of any java it sees
     * (CVE-2019-5736). The exec stage is never in the container's pid namespace; the process it clones is born there
     * with the container's root.
     * Checked broken: on the main of 2026-12-03 (the stage spawned into the pid namespace with a private copy of the
     * host's mounts) the scanner saw java and the host file on the first exec.
     */
    @Test
    void noRuntimeProcessIsVisibleDuringExec() throws Exception {
        HostView host = new HostView(tmp);
        Bundle b = host.scanner();
        String id = uniqueId("execview");
        jrunc.run("run", "-d", "-b", b.write().toString(), id).ok();
        for (int i = 0; i < 20; i++) {
            jrunc.run("exec", id, "true").ok();
        }
        String result = host.stopScanning(jrunc, b, id);
        jrunc.run("delete", "-f", id).ok();
        host.assertNotReached(result);
        assertNothingLeft();
    }

    /**
     * The same scan while a container is created into the scanner's pid namespace (a pod's), waits there for start,
     * and runs (issue 11, defect 5; runc 1.1.5 is open here: its init joins the pod's pid namespace before
     * pivot_root). jrunc's init stays out of it: it mounts the container's /proc for the pod's pid namespace
     * (procfs's pidns option) and clones only the container's process into it, after pivot_root. The process must
     * still be in the pod: it sees the scanner as its pid 1.
     * Checked broken: with the init spawned into the pod's pid namespace (ContainerCreate's podPidNamespace forced
     * to -1), the scanner saw the host file through the init's /proc/PID/root.
     */
    @Test
    void noRuntimeProcessIsVisibleWhenCreateJoinsAPodsPidNamespace() throws Exception {
        Assumptions.assumeTrue(KernelRelease.atLeast(6, 15), "procfs's pidns option needs Linux 6.15");
        HostView host = new HostView(tmp);
        Bundle scanner = host.scanner();
        String pod = uniqueId("podview");
        jrunc.run("run", "-d", "-b", scanner.write().toString(), pod).ok();
        int podPid = Bundle.parse(jrunc.run("state", pod).ok().out()).get("pid").asInt();
        Bundle b = bundle("sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' ' > /pid1; echo $$ > /me")
                .writableRootfs();
        b.withNamespace("pid", "/proc/" + podPid + "/ns/pid");
        String joiner = uniqueId("podjoiner");
        for (int i = 0; i < 5; i++) {
            String id = joiner + i;
            jrunc.run("create", "-b", b.write().toString(), id).ok();
            Thread.sleep(200);
            jrunc.run("start", id).ok();
            LifecycleTest.waitFor(b.rootfs().resolve("me"));
            jrunc.run("delete", "-f", id).ok();
        }
        assertTrue(Files.readString(b.rootfs().resolve("pid1")).startsWith("sh -c scans=0"), "in the pod");
        assertTrue(Integer.parseInt(Files.readString(b.rootfs().resolve("me")).trim()) > 1, "not its pid 1");
        String result = host.stopScanning(jrunc, scanner, pod);
        jrunc.run("delete", "-f", pod).ok();
        host.assertNotReached(result);
        assertNothingLeft();
    }

    /**
     * A file only the host has, and a container with CAP_SYS_PTRACE that scans /proc/[0-9]* without pause until
     * /stop exists: for every process that is not its own or its pid 1 it looks for that file through
     * /proc/PID/root, writes a file next to it if it can, and appends to /proc/PID/exe of any java it sees
     * (CVE-2019-5736), all noted in /seen.
     */
    private final class HostView {
        private final String marker;
        private final Path pwned;

        HostView(Path tmp) throws Exception {
            Path hostOnly = Files.createDirectories(tmp.resolve("host-only"));
            Files.writeString(hostOnly.resolve("marker"), "host");
            marker = hostOnly.resolve("marker").toString();
            pwned = hostOnly.resolve("pwned");
        }

        Bundle scanner() {
            Bundle b = bundle(
                    "sh",
                    "-c",
                    "scans=0; while [ ! -e /stop ]; do scans=$((scans+1)); for p in /proc/[0-9]*; do "
                            + "case ${p#/proc/} in 1|$$) continue ;; esac; "
                            + "case \"$(readlink $p/exe 2>/dev/null)\" in *java*) echo \"saw-java ${p#/proc/}\" >> /seen; "
                            + "(: >> $p/exe) 2>/dev/null && echo exe-writable >> /seen ;; esac; "
                            + "if [ -e $p/root" + marker + " ]; then echo \"saw-host ${p#/proc/}\" >> /seen; "
                            + "echo x > $p/root" + pwned + " 2>/dev/null; fi; "
                            + "done; done; echo \"scans=$scans\" >> /seen; sleep 600");
            b.config.with("root").put("readonly", false);
            for (String set : new String[] {"bounding", "effective", "permitted"}) {
                ((ArrayNode) b.process().with("capabilities").withArray(set)).add("CAP_SYS_PTRACE");
            }
            return b;
        }

        String stopScanning(Jrunc jrunc, Bundle b, String id) throws Exception {
            Files.writeString(b.rootfs().resolve("stop"), "");
            Path seen = b.rootfs().resolve("seen");
            for (int i = 0;
                    i < 200 && !(Files.exists(seen) && Files.readString(seen).contains("scans="));
                    i++) {
                Thread.sleep(25);
            }
            return Files.readString(seen);
        }

        void assertNotReached(String result) {
            assertTrue(result.matches("(?s).*scans=[1-9][0-9]*.*"), "the scanner ran: " + result);
            // the process the stage or init clones is a copy of its JVM until its execve: it may be seen, but only
            // with the container's root, and its executable is the read-only JDK
            assertFalse(result.contains("saw-host") || result.contains("writable"), result);
            assertFalse(Files.exists(pwned), "nothing written on the host");
        }
    }

    /**
     * A container that, for each of {@code rounds} java processes it sees, grabs /proc/PID/exe and a *.jar descriptor
     * of it (printing "grabbed"), waits until the process is no longer java and tries to append to both.
     * CAP_SYS_PTRACE lets it reach the descriptors of the more privileged runtime process at all.
     */
    private Bundle runtimeAttacker(int rounds) {
        Bundle b = bundle(
                "sh",
                "-c",
                "seen=; n=0; while [ $n -lt " + rounds + " ]; do for p in /proc/[0-9]*; do "
                        + "case \"$(readlink $p/exe)\" in *java*) ;; *) continue ;; esac; "
                        + "case \" $seen \" in *\" ${p#/proc/} \"*) continue ;; esac; seen=\"$seen ${p#/proc/}\"; n=$((n+1)); "
                        // a subshell per attempt: a failed `exec` redirection (the process went away) ends only the
                        // attempt
                        + "( exec 3<$p/exe 4</dev/null; "
                        + "while [ \"$(readlink /proc/self/fd/4)\" = /dev/null ] && readlink $p/exe | grep -q java; do "
                        + "for f in $p/fd/*; do case \"$(readlink $f)\" in *.jar) exec 4<$f ;; esac; done; done; echo grabbed; "
                        + "while [ -e $p/exe ] && readlink $p/exe | grep -q java; do :; done; "
                        + "(: >>/proc/self/fd/3) 2>&1 && echo exe-writable || echo exe-protected; "
                        + "case \"$(readlink /proc/self/fd/4)\" in /dev/null) echo no-jar ;; "
                        + "*) (: >>/proc/self/fd/4) 2>&1 && echo jar-writable || echo jar-protected ;; esac ); "
                        + "done; done; echo attacker-done; sleep 600");
        b.config.with("root").put("readonly", false);
        for (String set : new String[] {"bounding", "effective", "permitted"}) {
            ((ArrayNode) b.process().with("capabilities").withArray(set)).add("CAP_SYS_PTRACE");
        }
        return b;
    }

    private static void awaitOutput(Path out, String text) throws Exception {
        for (int i = 0; i < 100 && !Files.readString(out).contains(text); i++) {
            Thread.sleep(50);
        }
    }

    private static void assertRuntimeFilesProtected(String result) {
        assertFalse(result.contains("writable"), result);
        assertTrue(result.contains("exe-protected"), result);
        if (!result.contains("no-jar")) {
            // the java binary is busy while any JVM runs it (ETXTBSY hides EROFS); the jar is not, so it shows the
            // mount
            assertTrue(
                    result.contains("jar-protected") && result.contains("/proc/self/fd/4: Read-only file system"),
                    "the jar is on a read-only mount: " + result);
        }
    }

    /**
     * CVE-2019-5736 through a pod's shared pid namespace: a container created into the attacker's pid namespace
     * waits there for start, for as long as its caller likes, so the attacker has all the time it needs to grab the
     * waiting process's executable and descriptors. What waits there is the container's process, cloned from the
     * init's JVM with the runtime's files read-only, and holding no descriptor but stdio (on older kernels than 6.15,
     * the init itself, with the runtime's files read-only too).
     * Checked broken: with ContainerCreate protecting nothing for a joined pid namespace, "jar-writable".
     */
    @Test
    void anInitWaitingInASharedPidNamespaceCannotBeOverwritten() throws Exception {
        Bundle a = runtimeAttacker(1);
        String attacker = uniqueId("pidowner");
        Path out = tmp.resolve("shared-attack.out");
        Jrunc.raw(
                List.of(
                        "bash",
                        "-c",
                        Jrunc.binary() + " --root " + jrunc.root() + " run -d -b " + a.write() + " " + attacker + " > "
                                + out),
                Map.of(),
                null,
                60);
        int pid =
                Bundle.parse(jrunc.run("state", attacker).ok().out()).get("pid").asInt();
        Bundle b = bundle("true");
        b.withNamespace("pid", "/proc/" + pid + "/ns/pid");
        String joiner = uniqueId("pidjoiner");
        jrunc.run("create", "-b", b.write().toString(), joiner).ok();
        awaitOutput(out, "grabbed");
        jrunc.run("start", joiner).ok();
        awaitOutput(out, "attacker-done");
        jrunc.run("delete", "-f", joiner).ok();
        jrunc.run("delete", "-f", attacker).ok();
        assertRuntimeFilesProtected(Files.readString(out));
        assertNothingLeft();
    }

    /**
     * Symlinks in the rootfs at read-only and masked paths resolve inside the rootfs, never on the host.
     * Checked broken: with paths resolved without RESOLVE_IN_ROOT, the absolute symlink led the read-only bind to the
     * host directory's path and the target inside the rootfs stayed writable.
     */
    @Test
    void readonlyAndMaskedPathsThroughSymlinksStayInside() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside-dir"));
        Files.writeString(outside.resolve("secret"), "host data");
        Bundle b = bundle("sh", "-c", "touch /ro-link/x 2>&1; ls /mask-link | wc -l");
        Files.createSymbolicLink(b.rootfs().resolve("ro-link"), outside);
        Files.createSymbolicLink(b.rootfs().resolve("mask-link"), outside);
        Files.createDirectories(b.rootfs().resolve(outside.toString().substring(1)));
        ((ArrayNode) b.linux().withArray("readonlyPaths")).add("/ro-link");
        ((ArrayNode) b.linux().withArray("maskedPaths")).add("/mask-link");
        b.config.with("root").put("readonly", false);
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("links"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Read-only file system"), "the in-rootfs target is read-only: " + r.out());
        assertEquals("host data", Files.readString(outside.resolve("secret")));
        assertFalse(
                Files.readString(Path.of("/proc/self/mountinfo")).contains(outside.toString()),
                "nothing was mounted on the host directory");
        assertNothingLeft();
    }

    /**
     * /dev/console and /dev/pts as symlinks to host paths (a rootfs without a /dev tmpfs): the console is created
     * afresh inside the rootfs and devpts lands inside it.
     * Checked broken: with ConsoleSetup following /dev/console (openOrCreate instead of unlink + O_CREAT|O_EXCL|
     * O_NOFOLLOW), the pty was bind-mounted over the host file.
     */
    @Test
    void consoleAndPtsSymlinksAreNotFollowedToTheHost() throws Exception {
        Path hostFile = Files.writeString(tmp.resolve("host-console"), "untouched");
        Path hostDir = Files.createDirectories(tmp.resolve("host-pts"));
        Bundle b = bundle("sh", "-c", "stat -c %F /dev/console; echo done");
        ArrayNode mounts = b.mounts();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).get("destination").asText().equals("/dev")) {
                mounts.remove(i);
            }
        }
        Files.createDirectories(b.rootfs().resolve("dev"));
        Files.createSymbolicLink(b.rootfs().resolve("dev/console"), hostFile);
        Files.createSymbolicLink(b.rootfs().resolve("dev/pts"), hostDir);
        b.process().put("terminal", true);
        b.config.with("root").put("readonly", false);
        Syscalls sys = LinuxSyscalls.get();
        Path sock = tmp.resolve("c.sock");
        int listener = sys.listenUnix(sock.toString());
        CompletableFuture<Integer> master = CompletableFuture.supplyAsync(() -> {
            int conn = sys.accept(listener);
            int[] fds = sys.recvFds(conn, new byte[128], new int[1], 2);
            sys.close(conn);
            return fds[0];
        });
        String id = uniqueId("console");
        jrunc.run("create", "--console-socket", sock.toString(), "-b", b.write().toString(), id)
                .ok();
        int fd = master.get();
        sys.close(listener);
        jrunc.run("start", id).ok();
        byte[] buf = new byte[512];
        StringBuilder text = new StringBuilder();
        while (!text.toString().contains("done")) {
            int n = sys.read(fd, buf, 0, buf.length);
            if (n <= 0) {
                break;
            }
            text.append(new String(buf, 0, n));
        }
        sys.close(fd);
        jrunc.run("delete", "-f", id);
        assertEquals("untouched", Files.readString(hostFile));
        try (var s = Files.list(hostDir)) {
            assertEquals(0, s.count(), "devpts was not mounted on the host directory");
        }
        assertTrue(text.toString().contains("character special file"), text.toString());
        assertNothingLeft();
    }
}
