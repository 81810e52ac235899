package org.jrunc.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.ByteArrayOutputStream;
import java.lang.ref.Reference;

/**
 * An anonymous in-memory file (memfd_create(2)), for library calls that write their result to a descriptor, such as
 * libseccomp's export functions. Unlike a pipe it never blocks the writer, whatever the output size, and unlike a
 * temporary file it leaves nothing behind.
 */
public final class MemFd implements AutoCloseable {
    // glibc 2.36 has wrappers, but the raw numbers keep every kernel call in LibC.syscall
    private static final long MEMFD_CREATE = SyscallNumbers.AARCH64 ? 279 : 319;
    private static final long PREAD64 = SyscallNumbers.AARCH64 ? 67 : 17;
    private static final int MFD_CLOEXEC = 1;
    private static final int CHUNK = 64 * 1024;

    private final int fd;

    private MemFd(int fd) {
        this.fd = fd;
    }

    /** @param name shows up in /proc/PID/fd links as "memfd:NAME"; for debugging only */
    public static MemFd create(String name) {
        Memory n = LinuxSyscalls.cString(name);
        long ret = LibC.syscall(MEMFD_CREATE, Pointer.nativeValue(n), MFD_CLOEXEC, 0, 0, 0, 0);
        Reference.reachabilityFence(n);
        if (ret < 0) {
            throw new SyscallException("memfd_create", name, Native.getLastError());
        }
        return new MemFd((int) ret);
    }

    public int fd() {
        return fd;
    }

    /** Everything written so far, read with pread from offset 0, so the file offset of the writer does not matter. */
    public byte[] contents() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Memory buf = new Memory(CHUNK);
        long offset = 0;
        while (true) {
            long n = LibC.syscall(PREAD64, fd, Pointer.nativeValue(buf), CHUNK, offset, 0, 0);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw new SyscallException("pread", "memfd " + fd, errno);
            }
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(buf.getByteArray(0, (int) n), 0, (int) n);
            offset += n;
        }
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
