package org.jrunc.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SharedNamespaceMountsTest {
    private static final String MOUNTINFO = String.join(
            "\n",
            "22 1 8:1 / / rw - ext4 /dev/vda rw",
            "30 22 0:40 / /b/rootfs rw - squashfs /dev/loop0 ro",
            "31 30 0:41 / /b/rootfs/mnt/user rw - tmpfs tmpfs rw",
            "32 22 0:42 / /b/rootfs-other rw - tmpfs tmpfs rw",
            "40 30 0:5 / /b/rootfs/proc rw - proc proc rw",
            "41 30 0:43 / /b/rootfs/dev rw - tmpfs tmpfs rw",
            "42 41 0:44 / /b/rootfs/dev/pts rw - devpts devpts rw",
            "43 40 0:45 / /b/rootfs/proc/kcore rw - tmpfs tmpfs ro",
            "44 41 0:46 / /b/rootfs/dev rw - tmpfs tmpfs rw");

    @Test
    void theMountsAtOrBelowTheRootfsAreNotedByIdAndNoOthers() {
        MountTable before =
                MountTable.parse(String.join("\n", MOUNTINFO.lines().limit(4).toList()));
        assertEquals(List.of("30", "31"), SharedNamespaceMounts.idsAtOrBelow(before, "/b/rootfs"));
    }

    @Test
    void theContainersMountsGoLastMadeFirstAndWhatWasThereStays() {
        assertEquals(
                List.of(
                        "/b/rootfs/dev",
                        "/b/rootfs/proc/kcore",
                        "/b/rootfs/dev/pts",
                        "/b/rootfs/dev",
                        "/b/rootfs/proc"),
                SharedNamespaceMounts.added(MountTable.parse(MOUNTINFO), "/b/rootfs", List.of("30", "31")));
    }
}
