package org.jrunc.spectest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.Systemctl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * containerd's runc shim driving jrunc with the systemd cgroup driver (ctr --runc-systemd-cgroup, what
 * SystemdCgroup = true passes), in the systemd guest (tag systemd): the task's cgroup is the scope named by the
 * "slice:prefix:name" parent, with the memory limit as a unit property, and removing the task and container leaves no
 * unit and no directory.
 */
@Tag("systemd")
class ContainerdSystemdE2ETest {
    private static final String IMAGE = "docker.io/library/busybox:jrunc-e2e";

    @Test
    void aTaskUnderSystemdCgroupIsAScopeUntilItIsRemoved() throws Exception {
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/1/comm")).trim().equals("systemd"), "systemd is PID 1");
        // /run is a tmpfs: the overlayfs snapshotter cannot stack on the guest's overlay root
        Path dir = Files.createTempDirectory(Path.of("/run"), "jrunc-ctd-sd");
        ContainerdDaemon containerd = ContainerdDaemon.start(dir, "jrunc-sd");
        String unit = "ctrsd-life.scope";
        try {
            containerd
                    .ctr(
                            "images",
                            "import",
                            BusyboxImage.ociLayoutTar(dir, IMAGE).toString())
                    .ok();
            containerd
                    .ctr(
                            "run",
                            "-d",
                            "--runc-binary",
                            Jrunc.binary().toString(),
                            "--runc-root",
                            dir.resolve("runc-root").toString(),
                            "--runc-systemd-cgroup",
                            "--cgroup",
                            "jrunc-e2e.slice:ctrsd:life",
                            "--memory-limit",
                            Long.toString(64L << 20),
                            IMAGE,
                            "life",
                            "sleep",
                            "1000")
                    .ok();
            assertEquals("active", Systemctl.show(unit, "ActiveState"));
            assertEquals("jrunc-e2e.slice", Systemctl.show(unit, "Slice"));
            Jrunc.Result cg = containerd.ctr("task", "exec", "--exec-id", "cg", "life", "cat", "/proc/1/cgroup");
            assertEquals(0, cg.exit(), cg.err());
            // ctr's spec has no cgroup namespace: the container sees the scope's full path, in every hierarchy
            for (String line : cg.out().trim().split("\n")) {
                assertTrue(line.endsWith(":/jrunc.slice/jrunc-e2e.slice/" + unit), line);
            }
            boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
            assertEquals(Long.toString(64L << 20), Systemctl.show(unit, v2 ? "MemoryMax" : "MemoryLimit"));
            containerd.ctr("task", "kill", "-s", "KILL", "life").ok();
            for (int i = 0; i < 200 && containerd.ctr("task", "ls").out().contains("RUNNING"); i++) {
                Thread.sleep(50);
            }
            containerd.ctr("task", "rm", "life").ok();
            containerd.ctr("containers", "rm", "life").ok();
            assertEquals("not-found", Systemctl.show(unit, "LoadState"));
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup/jrunc.slice/jrunc-e2e.slice/" + unit)));
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup/unified/jrunc.slice/jrunc-e2e.slice/" + unit)));
        } finally {
            containerd.ctr("task", "rm", "-f", "life");
            containerd.ctr("containers", "rm", "life");
            containerd.close();
        }
        List<Long> left = HostProcesses.withCommandLineContaining(dir.toString());
        for (long pid : left) {
            assertTrue(HostProcesses.awaitExit(pid, 20), "process left: " + pid);
        }
        HostProcesses.deleteTree(dir);
    }
}
