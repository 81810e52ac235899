package org.jrunc.cgroups.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.cgroups.CgroupLayout;
import org.jrunc.cgroups.DeviceRuleTranslator;
import org.jrunc.cgroups.HostCgroups;
import org.jrunc.cgroups.Res;
import org.jrunc.cgroups.manager.CgroupResources;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The eBPF device filter on a real cgroup2 directory (on this project's hybrid hosts, /sys/fs/cgroup/unified: cgroup
 * device programs are checked there in addition to the v1 devices controller).
 */
@Tag("root")
class DeviceFilterRootTest {
    private static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");

    /**
     * A shell that moves itself into the cgroup before opening anything, then reports which opens worked. The
     * subshells keep a failed redirection from ending the script.
     */
    private static String[] probe(Path cgroup) {
        return new String[] {
            "/bin/sh",
            "-c",
            "echo $$ > " + cgroup.resolve("cgroup.procs") + " || exit 99\n"
                    + "( exec 3</dev/zero ) && echo zero-opened || echo zero-denied\n"
                    + "( exec 4</dev/null ) && echo null-opened || echo null-denied\n"
        };
    }

    private static String[] run(Path cgroup) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(probe(cgroup));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        return new String[] {out, err};
    }

    @Test
    void allowsDevNullButNotDevZeroAndReplacesTheProgramOnUpdate() throws Exception {
        HostCgroups.assumeRoot();
        HostCgroups.assumeDir(UNIFIED);
        Path cg = UNIFIED.resolve(HostCgroups.testName());
        Files.createDirectory(cg);
        try {
            DeviceFilter.attach(
                    cg.toString(),
                    DeviceFilter.program(DeviceRuleTranslator.translate(
                            List.of(Res.rule(false, "a", null, null, "rwm"), Res.rule(true, "c", 1L, 3L, "rwm")),
                            "config.json")));
            assertEquals(1, DeviceFilter.attachedPrograms(cg.toString()).length);
            String[] r = run(cg);
            assertTrue(r[0].contains("zero-denied") && r[0].contains("null-opened"), r[0] + r[1]);
            assertTrue(r[1].contains("Operation not permitted"), r[1]); // EPERM from the device program

            // update: /dev/zero (c 1:5) readable too; the old program is replaced, not stacked
            int oldId = DeviceFilter.attachedPrograms(cg.toString())[0];
            DeviceFilter.attach(
                    cg.toString(),
                    DeviceFilter.program(DeviceRuleTranslator.translate(
                            List.of(
                                    Res.rule(false, "a", null, null, "rwm"),
                                    Res.rule(true, "c", 1L, 3L, "rwm"),
                                    Res.rule(true, "c", 1L, 5L, "r")),
                            "config.json")));
            int[] now = DeviceFilter.attachedPrograms(cg.toString());
            assertEquals(1, now.length);
            assertTrue(now[0] != oldId);
            r = run(cg);
            assertTrue(r[0].contains("zero-opened") && r[0].contains("null-opened"), r[0] + r[1]);
        } finally {
            HostCgroups.remove(cg);
        }
    }

    @Test
    void appliedThroughCgroupResourcesOnAV2Directory() throws Exception {
        HostCgroups.assumeRoot();
        HostCgroups.assumeDir(UNIFIED);
        Path cg = UNIFIED.resolve(HostCgroups.testName());
        Files.createDirectory(cg);
        try {
            // the container has no v1 devices directory, so its device rules go to eBPF on the unified one
            CgroupResources.host()
                    .apply(
                            CgroupLayout.detect(),
                            Map.of("unified", cg.toString()),
                            Res.of()
                                    .devices(
                                            Res.rule(false, null, null, null, "rwm"), Res.rule(true, "c", 1L, 3L, "rw"))
                                    .build(),
                            false);
            String[] r = run(cg);
            assertTrue(r[0].contains("zero-denied") && r[0].contains("null-opened"), r[0] + r[1]);
        } finally {
            HostCgroups.remove(cg);
        }
    }
}
