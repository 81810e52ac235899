package org.jrunc.cgroups;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.jrunc.sys.KernelFiles;

/** Helpers for the tests that use this host's real cgroups (tagged "root"). */
public final class HostCgroups {
    private HostCgroups() {}

    public static void assumeRoot() {
        String status = KernelFiles.readOrNull(Path.of("/proc/self/status"));
        assumeTrue(status != null && status.lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root");
    }

    public static void assumeDir(Path p) {
        assumeTrue(Files.isRegularFile(p.resolve("cgroup.procs")), p + " is not a mounted cgroup hierarchy");
    }

    public static String testName() {
        return "jrunc-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String read(Path p) throws IOException {
        return KernelFiles.read(p).trim();
    }

    /** rmdir, retried while the kernel still sees an exiting task in it (EBUSY). */
    public static void remove(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (int i = 0; ; i++) {
            try {
                Files.delete(dir);
                return;
            } catch (IOException e) {
                if (i >= 100) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
