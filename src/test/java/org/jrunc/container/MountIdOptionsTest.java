package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jrunc.config.ConfigException;
import org.jrunc.config.IdMapping;
import org.jrunc.rootfs.MountPlan;
import org.junit.jupiter.api.Test;

/** uid= and gid= mount options against the ranges of the user namespace that mounts. */
class MountIdOptionsTest {
    private static final List<IdMapping> PODMAN =
            List.of(new IdMapping(0L, 1001L, 1L), new IdMapping(1L, 100000L, 65536L));
    private static final List<IdMapping> ONE = List.of(new IdMapping(0L, 1001L, 1L));

    private static List<MountPlan> mounts(String... data) {
        List<MountPlan> out = new java.util.ArrayList<>();
        for (String d : data) {
            out.add(MountPlan.builder()
                    .source("x")
                    .destination("/x")
                    .type("tmpfs")
                    .data(d)
                    .build());
        }
        return out;
    }

    @Test
    void idsInsideTheRangesPass() {
        MountIdOptions.check(mounts("", "mode=0620,gid=5", "uid=65536,gid=0"), PODMAN, PODMAN, "ns");
    }

    @Test
    void anUnmappedGidIsRefusedNamingTheMountOptionAndRanges() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> MountIdOptions.check(mounts("size=1k", "newinstance,gid=5"), ONE, ONE, "the user namespace"));
        assertEquals(
                "config.json: field mounts[1].options: \"gid=5\": gid 5 is not mapped in the user namespace (gids 0),"
                        + " so the kernel cannot apply it",
                e.getMessage());
    }

    @Test
    void anUnmappedUidIsRefusedWithTheRangesOfTheMap() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> MountIdOptions.check(mounts("uid=70000"), PODMAN, PODMAN, "ns"));
        assertEquals(
                "config.json: field mounts[0].options: \"uid=70000\": uid 70000 is not mapped in ns (uids 0, 1-65536),"
                        + " so the kernel cannot apply it",
                e.getMessage());
    }

    @Test
    void unknownRangesAndNonNumericValuesAreLeftToTheKernel() {
        MountIdOptions.check(mounts("gid=5"), null, null, "ns");
        MountIdOptions.check(mounts("uid=nobody"), ONE, ONE, "ns");
    }

    @Test
    void procMapsParse() {
        assertEquals(
                PODMAN,
                MountIdOptions.parseProcMap("         0       1001          1\n         1     100000      65536\n"));
        assertEquals(List.of(new IdMapping(0L, 0L, 4294967295L)), MountIdOptions.parseProcMap("0 0 4294967295\n"));
    }
}
