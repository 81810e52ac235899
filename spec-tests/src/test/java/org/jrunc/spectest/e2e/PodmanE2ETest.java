package org.jrunc.spectest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.spectest.Bundle;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.Leftovers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * jrunc as podman's OCI runtime, driven through conmon exactly as podman drives runc. Every container goes under a
 * cgroup parent private to this class; at the end no container, conmon, mount or container cgroup may remain.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodmanE2ETest {
    private static final String IMAGE = "localhost/busybox:jrunc-e2e";
    private static final String LOOP = "while true; do sleep 0.2; done";

    private Path dir;
    private PodmanHost podman;
    private Leftovers before;

    @BeforeAll
    void importImage() throws Exception {
        before = Leftovers.take();
        dir = Files.createTempDirectory("jrunc-podman");
        podman = new PodmanHost(dir, "/jrunc-podman-" + Long.toHexString(System.nanoTime() & 0xfffffL));
        podman.podman("import", BusyboxImage.rootfsTar(dir).toString(), IMAGE).ok();
    }

    @AfterAll
    void removeEverythingAndCheckNothingLeft() throws Exception {
        List<String> problems = new ArrayList<>();
        for (String c : podman.podman("ps", "-a", "--format", "{{.Names}}")
                .out()
                .lines()
                .toList()) {
            problems.add("container left: " + c);
        }
        podman.podman("rm", "-a", "-f");
        podman.podman("rmi", "-a", "-f");
        // conmon and the `podman container cleanup` it runs at exit carry this directory in their command lines
        for (long pid : HostProcesses.withCommandLineContaining(dir.toString())) {
            if (!HostProcesses.awaitExit(pid, 30)) {
                problems.add("process left: " + pid);
            }
        }
        problems.addAll(Leftovers.diff(before, Leftovers.take()));
        // podman keeps conmon's own cgroup ("conmon") under the parent, with runc too; container cgroups must be gone
        String parentName = podman.cgroupParent.substring(1);
        for (String cg : HostProcesses.cgroupsUnder(parentName)) {
            if (!cg.endsWith("/" + parentName) && !cg.endsWith("/" + parentName + "/conmon")) {
                problems.add("cgroup left: " + cg);
            }
        }
        if (problems.isEmpty()) {
            HostProcesses.removeCgroups(parentName);
            HostProcesses.deleteTree(dir);
        }
        assertEquals(List.of(), problems, "podman e2e left resources behind (files kept in " + dir + ")");
    }

    private Jrunc.Result run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("run", "--cgroup-parent", podman.cgroupParent));
        cmd.addAll(List.of(args));
        return podman.podman(cmd.toArray(String[]::new));
    }

    @Test
    void runRmPrintsOutputAndReturnsTheExitStatus() {
        Jrunc.Result r = run("--rm", IMAGE, "sh", "-c", "echo hello from jrunc; echo to-stderr >&2; exit 5");
        assertEquals(5, r.exit(), r.err());
        assertEquals("hello from jrunc\n", r.out());
        assertTrue(r.err().contains("to-stderr"), r.err());
        assertEquals("", podman.podman("ps", "-a", "-q").out().trim(), "--rm removed the container");
    }

    @Test
    void detachedContainerThroughItsWholeLife() throws Exception {
        String name = "life";
        run("-d", "--name", name, IMAGE, "sh", "-c", "trap 'echo got-usr1' USR1; " + LOOP)
                .ok();
        long pid = Long.parseLong(podman.inspect(name, "{{.State.Pid}}"));
        assertEquals("running", podman.inspect(name, "{{.State.Status}}"));

        Jrunc.Result exec = podman.podman("exec", name, "sh", "-c", "echo in-exec; cat /proc/1/cmdline; exit 3");
        assertEquals(3, exec.exit(), exec.err());
        assertTrue(
                exec.out().startsWith("in-exec\n") && exec.out().contains("got-usr1"),
                "exec runs in the container's pid namespace: " + exec.out());

        Jrunc.Result tty =
                WithTerminal.run(podman.command(List.of("exec", "-it", name, "sh", "-c", "tty; exit 4")), podman.env());
        assertEquals(4, tty.exit(), tty.out() + tty.err());
        assertTrue(tty.out().contains("/dev/pts/"), "exec -it got a pty: " + tty.out());

        podman.podman("pause", name).ok();
        assertEquals("paused", podman.inspect(name, "{{.State.Status}}"));
        assertTrue(CgroupProbe.frozen(pid), "the kernel shows the cgroup frozen");
        podman.podman("unpause", name).ok();
        assertEquals("running", podman.inspect(name, "{{.State.Status}}"));
        assertFalse(CgroupProbe.frozen(pid), "thawed after unpause");

        podman.podman("update", "--memory", "64m", name).ok();
        assertEquals(64L << 20, CgroupProbe.memoryLimit(pid), "update --memory reached the cgroup");

        podman.podman("kill", "-s", "USR1", name).ok();
        awaitLog(name, "got-usr1");

        // sh as pid 1 has no TERM handler, so the kernel drops TERM and podman must follow with KILL
        Jrunc.Result stop = podman.podman("stop", "-t", "2", name);
        assertEquals(0, stop.exit(), stop.err());
        assertTrue(stop.err().contains("resorting to SIGKILL"), stop.err());
        assertEquals("exited 137", podman.inspect(name, "{{.State.Status}} {{.State.ExitCode}}"));
        assertTrue(HostProcesses.awaitExit(pid, 20), "the container's processes are gone after stop");

        podman.podman("restart", name).ok();
        long restarted = Long.parseLong(podman.inspect(name, "{{.State.Pid}}"));
        assertEquals("running", podman.inspect(name, "{{.State.Status}}"));
        assertNotEquals(pid, restarted);

        podman.podman("rm", "-f", name).ok();
        assertTrue(HostProcesses.awaitExit(restarted, 20), "rm -f killed the container");
        assertEquals("", podman.podman("ps", "-a", "-q").out().trim());
    }

    @Test
    void stopDeliversTermToAContainerThatHandlesIt() throws Exception {
        run("-d", "--name", "graceful", IMAGE, "sh", "-c", "trap 'echo got-term; exit 0' TERM; " + LOOP)
                .ok();
        Jrunc.Result stop = podman.podman("stop", "-t", "60", "graceful");
        assertEquals(0, stop.exit(), stop.err());
        assertFalse(stop.err().contains("SIGKILL"), stop.err());
        assertEquals("exited 0", podman.inspect("graceful", "{{.State.Status}} {{.State.ExitCode}}"));
        assertTrue(podman.podman("logs", "graceful").ok().out().contains("got-term"));
        podman.podman("rm", "graceful").ok();
    }

    @Test
    void execOfAMissingBinaryGetsPodmansExitStatus127() {
        run("-d", "--name", "badexec", IMAGE, "sh", "-c", LOOP).ok();
        Jrunc.Result r = podman.podman("exec", "badexec", "/no/such/binary");
        // podman picks 127 from the runtime's words, as it does for runc
        assertEquals(127, r.exit(), r.err());
        assertTrue(r.err().contains("no such file or directory"), r.err());
        podman.podman("rm", "-f", "badexec").ok();
    }

    /** fails on 17985a3: exit 126, for podman's tmpfs mounts (/tmp, /var/tmp, /run here) carry tmpcopyup. */
    @Test
    void readOnlyRootKeepsPodmansWritableTmpfsMounts() {
        Jrunc.Result r = run(
                "--rm",
                "--read-only",
                IMAGE,
                "sh",
                "-c",
                "touch /x 2>/dev/null || echo root-ro; echo w > /tmp/t && cat /tmp/t; grep -c ' /tmp tmpfs ' /proc/mounts");
        assertEquals(0, r.exit(), r.err());
        assertEquals("root-ro\nw\n1\n", r.out());
    }

    /** fails on 17985a3: exit 126 (tmpcopyup refused). */
    @Test
    void tmpfsFlagMountsAWritableTmpfs() {
        assertWritableTmpfs("/x", "--tmpfs", "/x");
    }

    /** fails on 17985a3: exit 126 (tmpcopyup refused). */
    @Test
    void mountFlagOfTypeTmpfsMountsAWritableTmpfs() {
        assertWritableTmpfs("/y", "--mount", "type=tmpfs,destination=/y");
    }

    private void assertWritableTmpfs(String dir, String... flags) {
        List<String> args = new ArrayList<>(List.of("--rm"));
        args.addAll(List.of(flags));
        args.addAll(List.of(
                IMAGE,
                "sh",
                "-c",
                "echo in-tmpfs > " + dir + "/f && cat " + dir + "/f; grep -c ' " + dir + " tmpfs ' /proc/mounts"));
        Jrunc.Result r = run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertEquals("in-tmpfs\n1\n", r.out());
    }

    /** fails on 17985a3: exit 126 (tmpcopyup refused). */
    @Test
    void tmpfsWithTmpcopyupStartsWithTheImagesFiles() throws Exception {
        Jrunc.Result r = run(
                "--rm",
                "--tmpfs",
                "/etc:tmpcopyup",
                IMAGE,
                "sh",
                "-c",
                "grep -c ' /etc tmpfs ' /proc/mounts; cat /etc/passwd");
        assertEquals(0, r.exit(), r.err());
        assertEquals("1\n" + Files.readString(Bundle.rootfsTemplate().resolve("etc/passwd")), r.out());
    }

    /**
     * podman's idmap bind option with a user namespace (--uidmap): the host's root files are the container's root's,
     * and what the container's root writes is the host's root's. Fails on 17985a3: jrunc refused "idmap".
     */
    @Test
    void idmappedBindMountInAUserNamespace() throws Exception {
        Path vol = Files.createDirectories(dir.resolve("idmapped-volume"));
        Files.writeString(vol.resolve("roots"), "x");
        Jrunc.Result r = run(
                "--rm",
                "--uidmap",
                "0:100000:65536",
                "--gidmap",
                "0:100000:65536",
                "--mount",
                "type=bind,src=" + vol + ",dst=/vol,idmap",
                IMAGE,
                "sh",
                "-c",
                "stat -c %u:%g /vol/roots; touch /vol/new && echo wrote; grep ' /vol ' /proc/self/mountinfo");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("0:0\nwrote\n"), r.out());
        assertTrue(r.out().contains(",idmapped"), r.out());
        assertEquals(0, Files.getAttribute(vol.resolve("new"), "unix:uid"), "written as the host's root");
    }

    private void awaitLog(String name, String text) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (podman.podman("logs", name).out().contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no \"" + text + "\" in the logs of " + name + ": "
                + podman.podman("logs", name).out());
    }
}
