package org.jrunc.spectest.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's cgroup files from the cgroup the kernel reports for it (a v1 controller or the v2 hierarchy). */
final class CgroupProbe {
    private CgroupProbe() {}

    static boolean frozen(long pid) throws IOException {
        String v2Path = null;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f[1].equals("freezer")) {
                return Files.readString(Path.of("/sys/fs/cgroup/freezer" + f[2], "freezer.state"))
                        .trim()
                        .equals("FROZEN");
            }
            if (f[0].equals("0")) {
                v2Path = f[2];
            }
        }
        if (v2Path == null) {
            throw new AssertionError("no freezer cgroup for pid " + pid);
        }
        Path base = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                ? Path.of("/sys/fs/cgroup")
                : Path.of("/sys/fs/cgroup/unified");
        return Files.readString(Path.of(base + v2Path, "cgroup.events")).contains("frozen 1");
    }

    /** The memory limit in bytes (v1 memory.limit_in_bytes, v2 memory.max), or -1 for "max". */
    static long memoryLimit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f[1].equals("memory")) {
                return Long.parseLong(
                        Files.readAllLines(Path.of("/sys/fs/cgroup/memory" + f[2], "memory.limit_in_bytes"))
                                .get(0)
                                .trim());
            }
            if (f[0].equals("0") && Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
                String max = Files.readAllLines(Path.of("/sys/fs/cgroup" + f[2], "memory.max"))
                        .get(0)
                        .trim();
                return max.equals("max") ? -1 : Long.parseLong(max);
            }
        }
        throw new AssertionError("no memory cgroup for pid " + pid);
    }
}
