package org.jrunc.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountTableTest {
    static final String MOUNTINFO = String.join(
            "\n",
            "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
            "64 27 7:0 / /tmp/b\\040x/rootfs ro,relatime - squashfs /dev/loop0 ro,errors=continue",
            "67 64 0:40 / /tmp/b\\040x/rootfs rw,relatime - overlay overlay rw,lowerdir=/tmp/b\\040x/rootfs",
            "70 27 0:41 / /tmp/b\\040x/volumes/_data rw - tmpfs tmpfs rw",
            "garbage line",
            "");

    private final MountTable table = MountTable.parse(MOUNTINFO);

    @Test
    void pathsAreUnescaped() {
        assertEquals("a b\tc\\d", MountTable.unescape("a\\040b\\011c\\134d"));
        assertEquals("trailing\\", MountTable.unescape("trailing\\"));
        assertEquals("\\09x", MountTable.unescape("\\09x"));
    }

    @Test
    void stackedMountsAndTheVisibleOne() {
        Path rootfs = Path.of("/tmp/b x/rootfs");
        assertEquals(2, table.at(rootfs).size());
        assertEquals("overlay", table.top(rootfs).orElseThrow().fsType());
        assertEquals("7:0", table.at(rootfs).get(0).device());
        assertFalse(table.top(Path.of("/tmp/b x")).isPresent());
    }

    @Test
    void mountsAtOrBelowADirectory() {
        assertEquals(
                "tmpfs",
                table.atOrBelow(Path.of("/tmp/b x/volumes")).orElseThrow().fsType());
        assertFalse(table.atOrBelow(Path.of("/tmp/b x/overlay")).isPresent());
        assertFalse(table.atOrBelow(Path.of("/tmp/b")).isPresent(), "a prefix of a name is not a parent");
        assertTrue(table.hasDevice("0:40"));
    }
}
