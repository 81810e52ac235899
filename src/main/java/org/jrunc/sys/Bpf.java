package org.jrunc.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;

/**
 * The few bpf(2) commands a cgroup-v2 device filter needs: load a BPF_PROG_TYPE_CGROUP_DEVICE program, attach it to a
 * cgroup directory, list the programs already attached there, and detach them. glibc has no wrapper, so these go
 * through syscall(SYS_bpf, cmd, &attr, size) with {@code union bpf_attr} laid out by hand in native memory (offsets
 * from include/uapi/linux/bpf.h; the kernel accepts a shorter attr and requires any bytes past what it knows to be 0).
 */
public final class Bpf {
    /** SYS_bpf: not in {@link SyscallNumbers} because that file belongs to the core bindings. */
    private static final long SYS_BPF = SyscallNumbers.AARCH64 ? 280 : 321;

    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_DETACH = 9;
    private static final int BPF_PROG_GET_FD_BY_ID = 13;
    private static final int BPF_PROG_QUERY = 16;

    public static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    public static final int BPF_CGROUP_DEVICE = 6;
    public static final int BPF_F_ALLOW_MULTI = 2;
    public static final int BPF_F_REPLACE = 4;

    /** Access bits and device types in struct bpf_cgroup_dev_ctx. */
    public static final int BPF_DEVCG_ACC_MKNOD = 1;

    public static final int BPF_DEVCG_ACC_READ = 2;
    public static final int BPF_DEVCG_ACC_WRITE = 4;
    public static final int BPF_DEVCG_DEV_BLOCK = 1;
    public static final int BPF_DEVCG_DEV_CHAR = 2;

    /** Bytes of one struct bpf_insn. */
    public static final int INSN_SIZE = 8;

    private static final int LOG_SIZE = 64 * 1024;

    private Bpf() {}

    /** {@code attr} and the buffers it points to ({@code pointees}) stay reachable until the kernel is done with them. */
    private static long bpf(int cmd, Memory attr, Memory... pointees) {
        long r = LibC.syscall(SYS_BPF, cmd, Pointer.nativeValue(attr), attr.size(), 0, 0, 0);
        Reference.reachabilityFence(attr);
        Reference.reachabilityFence(pointees);
        return r;
    }

    private static Memory attr(int size) {
        Memory m = new Memory(size);
        m.clear();
        return m;
    }

    /**
     * Loads a cgroup device program and returns its fd. On failure the verifier's last message is part of the error,
     * because "Permission denied" alone says nothing about which instruction was refused.
     */
    public static int loadCgroupDeviceProgram(byte[] instructions, String license, String name) {
        if (instructions.length == 0 || instructions.length % INSN_SIZE != 0) {
            throw new IllegalArgumentException("a BPF program is a non-empty multiple of 8 bytes");
        }
        Memory insns = new Memory(instructions.length);
        insns.write(0, instructions, 0, instructions.length);
        Memory lic = LinuxSyscalls.cString(license);
        int fd = (int) bpf(BPF_PROG_LOAD, progLoadAttr(insns, instructions.length, lic, name, null), insns, lic);
        if (fd >= 0) {
            return fd;
        }
        int errno = Native.getLastError();
        // load again with a log buffer only to explain the failure: the log costs verifier time on every success
        Memory log = new Memory(LOG_SIZE);
        log.clear();
        int again = (int) bpf(BPF_PROG_LOAD, progLoadAttr(insns, instructions.length, lic, name, log), insns, lic, log);
        if (again >= 0) {
            return again;
        }
        String verifier = lastLine(log.getString(0, StandardCharsets.UTF_8.name()));
        throw new SyscallException(
                "bpf(BPF_PROG_LOAD)",
                "cgroup device program" + (verifier.isEmpty() ? "" : " (verifier: " + verifier + ")"),
                errno);
    }

    private static Memory progLoadAttr(Memory insns, int byteLength, Memory license, String name, Memory log) {
        Memory a = attr(72);
        a.setInt(0, BPF_PROG_TYPE_CGROUP_DEVICE); // prog_type
        a.setInt(4, byteLength / INSN_SIZE); // insn_cnt
        a.setLong(8, Pointer.nativeValue(insns)); // insns
        a.setLong(16, Pointer.nativeValue(license)); // license
        if (log != null) {
            a.setInt(24, 1); // log_level
            a.setInt(28, (int) log.size()); // log_size
            a.setLong(32, Pointer.nativeValue(log)); // log_buf
        }
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        a.write(48, n, 0, Math.min(n.length, 15)); // prog_name[16], NUL-terminated
        return a;
    }

    private static String lastLine(String log) {
        String[] lines = log.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    /** BPF_PROG_ATTACH; {@code replaceFd} is the program to swap out atomically with BPF_F_REPLACE, or -1. */
    public static void attach(int cgroupFd, int progFd, int attachType, int flags, int replaceFd) {
        Memory a = attr(20);
        a.setInt(0, cgroupFd); // target_fd
        a.setInt(4, progFd); // attach_bpf_fd
        a.setInt(8, attachType); // attach_type
        a.setInt(12, replaceFd >= 0 ? flags | BPF_F_REPLACE : flags); // attach_flags
        a.setInt(16, Math.max(replaceFd, 0)); // replace_bpf_fd
        if (bpf(BPF_PROG_ATTACH, a) < 0) {
            throw new SyscallException("bpf(BPF_PROG_ATTACH)", "cgroup device program", Native.getLastError());
        }
    }

    /** BPF_PROG_DETACH of one program; a program that is already gone is not an error. */
    public static void detach(int cgroupFd, int progFd, int attachType) {
        Memory a = attr(12);
        a.setInt(0, cgroupFd);
        a.setInt(4, progFd);
        a.setInt(8, attachType);
        if (bpf(BPF_PROG_DETACH, a) < 0) {
            int errno = Native.getLastError();
            if (errno != Errno.ENOENT) {
                throw new SyscallException("bpf(BPF_PROG_DETACH)", "cgroup device program", errno);
            }
        }
    }

    /** The ids of the programs attached to the cgroup directly (not inherited) for {@code attachType}. */
    public static int[] query(int cgroupFd, int attachType) {
        for (int capacity = 64; capacity <= 4096; capacity *= 2) {
            Memory ids = new Memory(4L * capacity);
            Memory a = attr(32);
            a.setInt(0, cgroupFd); // target_fd
            a.setInt(4, attachType); // attach_type
            a.setLong(16, Pointer.nativeValue(ids)); // prog_ids
            a.setInt(24, capacity); // prog_cnt
            if (bpf(BPF_PROG_QUERY, a, ids) < 0) {
                int errno = Native.getLastError();
                if (errno == Errno.ENOSPC) {
                    continue; // more programs than room: the kernel wrote the real count; retry bigger
                }
                throw new SyscallException("bpf(BPF_PROG_QUERY)", "cgroup device programs", errno);
            }
            return ids.getIntArray(0, a.getInt(24));
        }
        throw new SyscallException("bpf(BPF_PROG_QUERY)", "more than 4096 cgroup device programs", Errno.ENOSPC);
    }

    /**
     * An fd for an attached program, or -1 when it has gone away since it was listed or an LSM keeps it from us (a
     * program we cannot open was attached by someone else, e.g. systemd; like runc, leave it: it can only deny more).
     */
    public static int programFd(int id) {
        Memory a = attr(12);
        a.setInt(0, id); // prog_id
        int fd = (int) bpf(BPF_PROG_GET_FD_BY_ID, a);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.ENOENT || errno == Errno.EPERM || errno == Errno.EACCES) {
                return -1;
            }
            throw new SyscallException("bpf(BPF_PROG_GET_FD_BY_ID)", "program " + id, errno);
        }
        return fd;
    }

    /** An O_RDONLY|O_DIRECTORY fd of a cgroup directory, the target of attach, detach and query. */
    public static int openCgroup(String dir) {
        int fd = LibC.open(dir, Flags.O_RDONLY | Flags.O_DIRECTORY | Flags.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new SyscallException("open", dir, Native.getLastError());
        }
        return fd;
    }

    public static void close(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }
}
