package org.jrunc.spectest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.Leftovers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * jrunc as the runtime of a real containerd: containerd's own io.containerd.runc.v2 shim runs bin/jrunc as its runc
 * binary (ctr --runc-binary), exactly as a cluster would through BinaryName. The daemon is private to this class and
 * is stopped by its PID at the end; nothing (daemon, shim, mount, cgroup, state directory) may remain.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerdE2ETest {
    private static final String IMAGE = "docker.io/library/busybox:jrunc-e2e";

    private Path dir;
    private Path runcRoot;
    private ContainerdDaemon containerd;
    private Leftovers before;

    @BeforeAll
    void startContainerd() throws Exception {
        before = Leftovers.take();
        dir = Files.createTempDirectory("jrunc-ctd");
        runcRoot = dir.resolve("runc-root");
        containerd = ContainerdDaemon.start(dir, "jrunc-e2e-" + Long.toHexString(System.nanoTime() & 0xfffffL));
        Path image = BusyboxImage.ociLayoutTar(dir, IMAGE);
        containerd.ctr("images", "import", image.toString()).ok();
    }

    @AfterAll
    void stopContainerdAndCheckNothingLeft() throws Exception {
        List<String> problems = new ArrayList<>();
        try {
            for (String task : column(containerd.ctr("task", "ls", "-q").out())) {
                problems.add("task left running: " + task);
                containerd.ctr("task", "rm", "-f", task);
            }
            for (String c : column(containerd.ctr("containers", "ls", "-q").out())) {
                containerd.ctr("containers", "rm", c);
            }
            containerd.ctr("images", "rm", IMAGE);
        } finally {
            containerd.close();
        }
        assertFalse(HostProcesses.alive(containerd.pid()), "containerd still running");
        for (long shim : HostProcesses.withCommandLineContaining(dir.toString())) {
            if (!HostProcesses.awaitExit(shim, 20)) {
                problems.add("process left: " + shim);
            }
        }
        problems.addAll(stateDirectories());
        problems.addAll(Leftovers.diff(before, Leftovers.take()));
        // jrunc creates the namespace's parent cgroup as runc does; only the containers' own cgroups count as left
        for (String cg : HostProcesses.cgroupsUnder(containerd.namespace)) {
            if (!cg.endsWith("/" + containerd.namespace)) {
                problems.add("cgroup left: " + cg);
            }
        }
        if (problems.isEmpty()) {
            HostProcesses.removeCgroups(containerd.namespace);
            HostProcesses.deleteTree(dir);
        }
        assertEquals(List.of(), problems, "containerd e2e left resources behind (daemon files kept in " + dir + ")");
    }

    private List<String> run(String... args) {
        List<String> cmd = new ArrayList<>(
                List.of("run", "--runc-binary", Jrunc.binary().toString(), "--runc-root", runcRoot.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Jrunc.Result ctr(List<String> args) {
        return containerd.ctr(args.toArray(String[]::new));
    }

    @Test
    void runRmPrintsOutputAndReturnsTheExitStatus() {
        Jrunc.Result hello = ctr(run("--rm", IMAGE, "hello", "sh", "-c", "echo hello from jrunc; echo to-stderr >&2"));
        assertEquals(0, hello.exit(), hello.err());
        assertEquals("hello from jrunc\n", hello.out());
        assertTrue(hello.err().contains("to-stderr"), hello.err());

        Jrunc.Result status = ctr(run("--rm", IMAGE, "status", "sh", "-c", "exit 7"));
        assertEquals(7, status.exit(), status.err());
        assertEquals(List.of(), column(containerd.ctr("containers", "ls", "-q").out()), "--rm removed the container");
    }

    /**
     * `ctr run --tty`: the shim creates with --console-socket and reads create's output to its end, so the container
     * process waiting for `start` must not hold create's stdout and stderr (issue 11: it did, and ctr hung forever).
     */
    @Test
    void runWithATerminalReturnsTheExitStatus() {
        Jrunc.Result tty = WithTerminal.run(
                containerd.ctrCommand(run("--rm", "--tty", IMAGE, "ttyrun", "sh", "-c", "tty; exit 5")), Map.of());
        assertEquals(5, tty.exit(), tty.out() + tty.err());
        assertTrue(tty.out().contains("/dev/pts/"), "the container got a pty: " + tty.out());
    }

    @Test
    void detachedTaskExecPsPauseResumeAndKillAll() throws Exception {
        ctr(run("-d", IMAGE, "life", "sleep", "1000")).ok();
        long init = taskPid("life");
        assertEquals("RUNNING", taskStatus("life"));

        Jrunc.Result exec = containerd.ctr(
                "task",
                "exec",
                "--exec-id",
                "plain",
                "life",
                "sh",
                "-c",
                "echo pid=$$; cat /proc/1/cmdline | tr '\\0' ' '; exit 3");
        assertEquals(3, exec.exit(), exec.err());
        assertTrue(exec.out().contains("sleep 1000"), "exec runs in the container's pid namespace: " + exec.out());

        Jrunc.Result tty = WithTerminal.run(
                containerd.ctrCommand(
                        List.of("task", "exec", "--tty", "--exec-id", "tty", "life", "sh", "-c", "tty; exit 4")),
                Map.of());
        assertEquals(4, tty.exit(), tty.out() + tty.err());
        assertTrue(tty.out().contains("/dev/pts/"), "exec --tty got a pty: " + tty.out());

        containerd
                .ctr("task", "exec", "--detach", "--exec-id", "bg", "life", "sleep", "900")
                .ok();
        Jrunc.Result ps = containerd.ctr("task", "ps", "life").ok();
        List<String> pids = column(ps.out()).subList(1, column(ps.out()).size());
        assertEquals(2, pids.size(), ps.out());
        assertTrue(pids.contains(Long.toString(init)), ps.out());
        long bg = Long.parseLong(pids.stream()
                .filter(p -> !p.equals(Long.toString(init)))
                .findFirst()
                .orElseThrow());

        containerd.ctr("task", "pause", "life").ok();
        assertEquals("PAUSED", taskStatus("life"));
        assertTrue(CgroupProbe.frozen(init), "the kernel shows the cgroup frozen");
        containerd.ctr("task", "resume", "life").ok();
        assertEquals("RUNNING", taskStatus("life"));
        assertFalse(CgroupProbe.frozen(init), "thawed after resume");

        containerd.ctr("task", "kill", "--all", "--signal", "SIGKILL", "life").ok();
        assertTrue(HostProcesses.awaitExit(init, 20), "init killed");
        assertTrue(HostProcesses.awaitExit(bg, 20), "kill --all reached the exec'd process too");
        awaitStatus("life", "STOPPED");
        containerd.ctr("task", "rm", "life").ok();
        containerd.ctr("containers", "rm", "life").ok();
    }

    @Test
    void forcedRemovalOfARunningTask() throws Exception {
        ctr(run("-d", IMAGE, "forced", "sleep", "1000")).ok();
        long init = taskPid("forced");
        containerd.ctr("task", "rm", "-f", "forced").ok();
        assertTrue(HostProcesses.awaitExit(init, 20), "task rm -f killed the init");
        assertEquals(List.of(), column(containerd.ctr("task", "ls", "-q").out()));
        containerd.ctr("containers", "rm", "forced").ok();
        assertEquals(List.of(), stateDirectories());
    }

    @Test
    void execOfAMissingBinaryFailsWithRuncsWording() throws Exception {
        ctr(run("-d", IMAGE, "badexec", "sleep", "1000")).ok();
        Jrunc.Result missing = containerd.ctr("task", "exec", "--exec-id", "nope", "badexec", "/no/such/binary");
        assertNotEquals(0, missing.exit());
        assertTrue(
                missing.err().contains("exec: \"/no/such/binary\": stat /no/such/binary: no such file or directory"),
                missing.err());
        assertEquals(1, column(containerd.ctr("task", "ps", "badexec").out()).size() - 1, "only the init remains");
        containerd.ctr("task", "rm", "-f", "badexec").ok();
        containerd.ctr("containers", "rm", "badexec").ok();
    }

    private long taskPid(String id) {
        for (String line : containerd.ctr("task", "ls").ok().out().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals(id)) {
                return Long.parseLong(f[1]);
            }
        }
        throw new AssertionError("no task " + id);
    }

    private String taskStatus(String id) {
        for (String line : containerd.ctr("task", "ls").ok().out().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals(id)) {
                return f[2];
            }
        }
        throw new AssertionError("no task " + id);
    }

    private void awaitStatus(String id, String status) throws InterruptedException {
        for (int i = 0; i < 200 && !taskStatus(id).equals(status); i++) {
            Thread.sleep(50);
        }
        assertEquals(status, taskStatus(id));
    }

    /** jrunc's state directories under the shim's runc root: there must be none once every task is deleted. */
    private List<String> stateDirectories() throws IOException {
        List<String> out = new ArrayList<>();
        Path nsRoot = runcRoot.resolve(containerd.namespace);
        if (Files.isDirectory(nsRoot)) {
            try (var s = Files.list(nsRoot)) {
                s.forEach(p -> out.add("jrunc state left: " + p));
            }
        }
        return out;
    }

    private static List<String> column(String table) {
        return table.lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+")[0])
                .toList();
    }
}
