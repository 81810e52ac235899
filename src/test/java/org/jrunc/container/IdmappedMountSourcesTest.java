package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.rootfs.IdmappedMount;
import org.jrunc.sys.Errno;
import org.jrunc.sys.RecordingSyscalls;
import org.jrunc.sys.SyscallException;
import org.junit.jupiter.api.Test;

/** The runtime's side of idmapped mounts, against the recording system calls. */
class IdmappedMountSourcesTest {
    private static final String USERNS = "/proc/7/ns/user";

    private static IdmappedMount joined(int index, String source, boolean rbind, boolean ridmap) {
        return new IdmappedMount(index, "/mnt/" + index, source, rbind, ridmap, null, null, USERNS);
    }

    private static RecordingSyscalls fs() {
        return new RecordingSyscalls().dir("/host/a").dir("/host/b").file(USERNS);
    }

    /** Fails on 17985a3: nothing prepared idmapped trees (the class did not exist). */
    @Test
    void eachMountGetsADetachedIdmappedTreeAndTheNamespaceIsClosed() {
        RecordingSyscalls sys = fs();
        List<Integer> kept = new ArrayList<>();
        int[] sources = IdmappedMountSources.prepare(
                sys, List.of(joined(1, "/host/a", false, false), joined(3, "/host/b", true, true)), 4, fd -> {
                    kept.add(fd);
                    return fd;
                });
        assertEquals(-1, sources[0]);
        assertEquals(-1, sources[2]);
        assertArrayEquals(
                new int[] {sources[1], sources[3]},
                kept.stream().mapToInt(i -> i).toArray());
        assertEquals(
                List.of(
                        "open_tree /host/a",
                        "mount_setattr /host/a set=0x100000 clr=0x0 userns=" + USERNS,
                        "open_tree /host/b recursive",
                        "mount_setattr /host/b set=0x100000 clr=0x0 recursive userns=" + USERNS),
                sys.calls.stream()
                        .filter(c -> c.startsWith("open_tree") || c.startsWith("mount_setattr"))
                        .toList(),
                "rbind clones the submounts, ridmap maps them; one namespace serves both");
        assertEquals(List.of("/host/a", "/host/b"), sys.openFds(), "the trees stay open, the namespace is closed");
    }

    @Test
    void aFilesystemWithoutIdmappingIsNamedAndNothingStaysOpen() {
        RecordingSyscalls sys = fs();
        sys.failOn("mount_setattr /host/b", new SyscallException("mount_setattr", "/host/b", Errno.EINVAL));
        List<Integer> kept = new ArrayList<>();
        JruncException e = assertThrows(
                JruncException.class,
                () -> IdmappedMountSources.prepare(
                        sys, List.of(joined(1, "/host/a", false, false), joined(2, "/host/b", false, false)), 3, fd -> {
                            kept.add(fd);
                            return fd;
                        }));
        assertTrue(
                e.getMessage().startsWith("mounts[2] /mnt/2: idmapped mount of /host/b: its filesystem")
                        && e.getMessage().contains("does not support idmapped mounts"),
                e.getMessage());
        for (int fd : kept) {
            sys.close(fd);
        }
        assertEquals(List.of(), sys.openFds(), "the failed tree and the namespace are closed; the kept one by create");
    }
}
