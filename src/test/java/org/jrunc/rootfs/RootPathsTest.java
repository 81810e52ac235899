package org.jrunc.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jrunc.sys.Errno;
import org.jrunc.sys.Flags;
import org.jrunc.sys.RecordingSyscalls;
import org.jrunc.sys.SyscallException;
import org.junit.jupiter.api.Test;

class RootPathsTest {
    private static final String ROOTFS = "/bundle/rootfs";

    @Test
    void symlinkIfAbsentLeavesWhatIsThere() {
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.dir(ROOTFS + "/dev");
        int rootFd = sys.open(ROOTFS, Flags.O_PATH, 0);
        RootPaths root = new RootPaths(sys, rootFd, ROOTFS);
        int dev = sys.open(ROOTFS + "/dev", Flags.O_PATH, 0);
        root.symlinkIfAbsent(dev, "fd", "/proc/self/fd");
        root.symlinkIfAbsent(dev, "fd", "/elsewhere");
        assertEquals(List.of("symlink " + ROOTFS + "/dev/fd -> /proc/self/fd"), sys.calls("symlink"));
        assertEquals("/proc/self/fd", sys.files.get(ROOTFS + "/dev/fd").target());
    }

    @Test
    void symlinkIfAbsentPassesOtherErrorsOn() {
        RecordingSyscalls sys = new RecordingSyscalls() {
            @Override
            public void symlinkat(String target, int dirfd, String linkpath) {
                throw new SyscallException("symlinkat", linkpath, Errno.EACCES);
            }
        };
        RootPaths root = new RootPaths(sys, Flags.AT_FDCWD, "/");
        SyscallException e = assertThrows(SyscallException.class, () -> root.symlinkIfAbsent(Flags.AT_FDCWD, "x", "y"));
        assertEquals(Errno.EACCES, e.errno());
    }
}
