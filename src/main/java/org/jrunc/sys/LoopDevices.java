package org.jrunc.sys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jrunc.Pause;

/**
 * Attaches, inspects and detaches loop devices: {@code /dev/loop-control} LOOP_CTL_GET_FREE, then LOOP_CONFIGURE
 * (one call, Linux 5.8+) or, on older kernels, LOOP_SET_FD + LOOP_SET_STATUS64. Devices are attached read-only and
 * with AUTOCLEAR, so a crashed caller never leaves one bound.
 */
public final class LoopDevices {
    /** Another process may take the free device between LOOP_CTL_GET_FREE and our configure call (EBUSY). */
    private static final int MAX_ATTEMPTS = 16;
    /** LOOP_SET_STATUS64 answers EAGAIN while the device's page cache is still being dropped. */
    private static final int STATUS_RETRIES = 5;

    private static final long RETRY_SLEEP_MS = 20;
    /** What the loop driver of some kernels answers for an ioctl it does not know (LOOP_CONFIGURE before 5.8). */
    private static final int ENOTTY = 25;

    private final Syscalls sys;
    private final Path devDir;
    private final Path sysBlock;

    public LoopDevices(Syscalls sys) {
        this(sys, Path.of("/dev"), Path.of("/sys/block"));
    }

    /** With other /dev and /sys/block directories (tests). */
    public LoopDevices(Syscalls sys, Path devDir, Path sysBlock) {
        this.sys = sys;
        this.devDir = devDir;
        this.sysBlock = sysBlock;
    }

    /**
     * Whether loop devices can be allocated here at all: the control device exists and may be opened (a container
     * or a device cgroup may deny it).
     */
    public boolean available() {
        if (!Files.exists(devDir.resolve("loop-control"))) {
            return false;
        }
        try {
            sys.close(sys.open(devDir.resolve("loop-control").toString(), Flags.O_RDWR, 0));
            return true;
        } catch (SyscallException e) {
            return false;
        }
    }

    /**
     * A read-only, autoclearing loop device over {@code sizeLimit} bytes of {@code file} from {@code offset} (any
     * offset: the kernel does not require alignment unless direct I/O is asked for, which it is not).
     */
    public LoopDevice attachReadOnly(String file, long offset, long sizeLimit) {
        int flags = LoopAbi.LO_FLAGS_READ_ONLY | LoopAbi.LO_FLAGS_AUTOCLEAR;
        int backing = sys.open(file, Flags.O_RDONLY, 0);
        try {
            int control = sys.open(devDir.resolve("loop-control").toString(), Flags.O_RDWR, 0);
            try {
                return attachFree(control, backing, file, offset, sizeLimit, flags);
            } finally {
                sys.close(control);
            }
        } finally {
            // the loop driver holds its own reference to the file
            sys.close(backing);
        }
    }

    private LoopDevice attachFree(int control, int backing, String file, long offset, long sizeLimit, int flags) {
        SyscallException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int number = sys.ioctl(control, LoopAbi.LOOP_CTL_GET_FREE, 0);
            String path = devDir.resolve("loop" + number).toString();
            int fd;
            try {
                // read-only open: the kernel then makes the device read-only whatever the flags say
                fd = sys.open(path, Flags.O_RDONLY, 0);
            } catch (SyscallException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
                last = e; // a new device whose node is not there yet
                Pause.millis(RETRY_SLEEP_MS);
                continue;
            }
            try {
                configure(fd, backing, file, offset, sizeLimit, flags);
                return new LoopDevice(sys, number, path, fd);
            } catch (SyscallException e) {
                sys.close(fd);
                if (e.errno() != Errno.EBUSY) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private void configure(int fd, int backing, String file, long offset, long sizeLimit, int flags) {
        try {
            sys.ioctlBuffer(fd, LoopAbi.LOOP_CONFIGURE, LoopAbi.loopConfig(backing, offset, sizeLimit, flags, file));
            return;
        } catch (SyscallException e) {
            if (e.errno() != Errno.EINVAL && e.errno() != ENOTTY) {
                throw e;
            }
        }
        sys.ioctl(fd, LoopAbi.LOOP_SET_FD, backing);
        try {
            setStatus(fd, LoopAbi.loopInfo64(offset, sizeLimit, flags, file));
        } catch (SyscallException e) {
            clearQuietly(fd, e);
            throw e;
        }
    }

    private void setStatus(int fd, byte[] info) {
        for (int attempt = 0; ; attempt++) {
            try {
                sys.ioctlBuffer(fd, LoopAbi.LOOP_SET_STATUS64, info);
                return;
            } catch (SyscallException e) {
                if (e.errno() != Errno.EAGAIN || attempt >= STATUS_RETRIES) {
                    throw e;
                }
                Pause.millis(RETRY_SLEEP_MS);
            }
        }
    }

    private void clearQuietly(int fd, SyscallException pending) {
        try {
            sys.ioctl(fd, LoopAbi.LOOP_CLR_FD, 0);
        } catch (SyscallException e) {
            pending.addSuppressed(e);
        }
    }

    /**
     * LOOP_CLR_FD on loopN. The kernel detaches at once only when nobody else has the device open; a device still
     * in use (mounted) just gets AUTOCLEAR, so this never pulls a device from under a user. Not bound: no-op.
     */
    public void detach(int number) {
        int fd;
        try {
            fd = sys.open(devDir.resolve("loop" + number).toString(), Flags.O_RDONLY, 0);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENXIO) {
                return;
            }
            throw e;
        }
        try {
            sys.ioctl(fd, LoopAbi.LOOP_CLR_FD, 0);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENXIO) {
                throw e;
            }
        } finally {
            sys.close(fd);
        }
    }

    /** What loopN is bound to, or empty when it is free or does not exist. */
    public Optional<LoopBinding> binding(int number) {
        Path dir = sysBlock.resolve("loop" + number).resolve("loop");
        String backing = KernelFiles.readOrNull(dir.resolve("backing_file"));
        if (backing == null) {
            return Optional.empty();
        }
        return Optional.of(new LoopBinding(
                number,
                backing.strip(),
                number(dir.resolve("offset")),
                number(dir.resolve("sizelimit")),
                "1".equals(text(dir.resolve("autoclear")))));
    }

    private static long number(Path file) {
        try {
            return Long.parseLong(text(file));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(Path file) {
        String s = KernelFiles.readOrNull(file);
        return s == null ? "" : s.strip();
    }
}
