package org.jrunc.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@link Syscalls} on the running Linux kernel, through JNA. */
public final class LinuxSyscalls implements Syscalls {
    private static final LinuxSyscalls INSTANCE = new LinuxSyscalls();

    private LinuxSyscalls() {
        LibC.load();
    }

    public static LinuxSyscalls get() {
        return INSTANCE;
    }

    private static int errno() {
        return Native.getLastError();
    }

    private static int check(int ret, String call, String detail) {
        if (ret < 0) {
            throw new SyscallException(call, detail, errno());
        }
        return ret;
    }

    private static long check(long ret, String call, String detail) {
        if (ret < 0) {
            throw new SyscallException(call, detail, errno());
        }
        return ret;
    }

    /**
     * For a call whose arguments are addresses of {@code buffers} (Pointer.nativeValue): naming them here, after the
     * call returned, keeps them reachable until then. Otherwise the collector may free their native memory while the
     * kernel still reads or writes it (the spawn-stress harness once saw bind fail with EINVAL that way).
     */
    private static long check(long ret, String call, String detail, Object... buffers) {
        Reference.reachabilityFence(buffers);
        return check(ret, call, detail);
    }

    private static int check(int ret, String call, String detail, Object... buffers) {
        Reference.reachabilityFence(buffers);
        return check(ret, call, detail);
    }

    private static long sys(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        return LibC.syscall(nr, a1, a2, a3, a4, a5, a6);
    }

    /** A NUL-terminated copy of a string in native memory (for raw syscall arguments). */
    static Memory cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(b.length + 1L);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }

    @Override
    public int open(String path, int flags, int mode) {
        return check(LibC.open(path, flags | Flags.O_CLOEXEC, mode), "open", path);
    }

    @Override
    public int openat(int dirfd, String path, int flags, int mode) {
        return check(LibC.openat(dirfd, path, flags | Flags.O_CLOEXEC, mode), "openat", path);
    }

    @Override
    public int openat2(int dirfd, String path, long flags, long mode, long resolve) {
        Memory how = new Memory(24);
        how.setLong(0, flags | Flags.O_CLOEXEC);
        how.setLong(8, mode);
        how.setLong(16, resolve);
        Memory p = cString(path);
        return (int) check(
                sys(SyscallNumbers.OPENAT2, dirfd, Pointer.nativeValue(p), Pointer.nativeValue(how), 24, 0, 0),
                "openat2",
                path,
                p,
                how);
    }

    @Override
    public void close(int fd) {
        LibC.close(fd);
    }

    @Override
    public void mkdirat(int dirfd, String name, int mode) {
        Memory p = cString(name);
        check(sys(SyscallNumbers.MKDIRAT, dirfd, Pointer.nativeValue(p), mode, 0, 0, 0), "mkdirat", name, p);
    }

    @Override
    public void mknodat(int dirfd, String name, int mode, long dev) {
        Memory p = cString(name);
        check(sys(SyscallNumbers.MKNODAT, dirfd, Pointer.nativeValue(p), mode, dev, 0, 0), "mknodat", name, p);
    }

    @Override
    public void symlinkat(String target, int dirfd, String linkpath) {
        Memory t = cString(target);
        Memory l = cString(linkpath);
        check(
                sys(SyscallNumbers.SYMLINKAT, Pointer.nativeValue(t), dirfd, Pointer.nativeValue(l), 0, 0, 0),
                "symlinkat",
                linkpath + " -> " + target,
                t,
                l);
    }

    @Override
    public void linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags) {
        Memory o = cString(oldpath);
        Memory n = cString(newpath);
        check(
                sys(
                        SyscallNumbers.LINKAT,
                        olddirfd,
                        Pointer.nativeValue(o),
                        newdirfd,
                        Pointer.nativeValue(n),
                        flags,
                        0),
                "linkat",
                newpath,
                o,
                n);
    }

    @Override
    public void unlinkat(int dirfd, String name, int flags) {
        Memory p = cString(name);
        check(sys(SyscallNumbers.UNLINKAT, dirfd, Pointer.nativeValue(p), flags, 0, 0, 0), "unlinkat", name, p);
    }

    @Override
    public void fchmod(int fd, int mode) {
        check(LibC.chmod("/proc/self/fd/" + fd, mode), "chmod", fdPathOrNumber(fd));
    }

    @Override
    public void fchown(int fd, long uid, long gid) {
        check(
                LibC.fchownat(fd, "", (int) uid, (int) gid, Flags.AT_EMPTY_PATH | Flags.AT_SYMLINK_NOFOLLOW),
                "fchown",
                fdPathOrNumber(fd));
    }

    private static final int STATX_BASIC_STATS = 0x7ff;

    @Override
    public FileStat fstat(int fd) {
        Memory buf = new Memory(256);
        buf.clear();
        check(
                LibC.statx(fd, "", Flags.AT_EMPTY_PATH | Flags.AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf),
                "statx",
                fdPathOrNumber(fd));
        return new FileStat(
                buf.getShort(28) & 0xffff,
                buf.getInt(20) & 0xffffffffL,
                buf.getInt(24) & 0xffffffffL,
                buf.getLong(32),
                buf.getLong(40),
                buf.getInt(128),
                buf.getInt(132),
                buf.getInt(136),
                buf.getInt(140));
    }

    @Override
    public StatFs fstatfs(int fd) {
        Memory buf = new Memory(120);
        buf.clear();
        check(LibC.fstatfs(fd, buf), "fstatfs", fdPathOrNumber(fd));
        // struct statfs on LP64: 10 longs (type, bsize, blocks, bfree, bavail, files, ffree, fsid, namelen, frsize),
        // then flags
        return new StatFs(buf.getLong(0), buf.getLong(80));
    }

    @Override
    public String readlinkat(int dirfd, String path) {
        Memory buf = new Memory(4097);
        long n = check(
                LibC.readlinkat(dirfd, path, buf, 4096), "readlinkat", path.isEmpty() ? fdPathOrNumber(dirfd) : path);
        byte[] b = new byte[(int) n];
        buf.read(0, b, 0, (int) n);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String fdPath(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            throw new SyscallException("readlink", "/proc/self/fd/" + fd, Errno.EBADF);
        }
    }

    private String fdPathOrNumber(int fd) {
        try {
            return fdPath(fd);
        } catch (RuntimeException e) {
            return "fd " + fd;
        }
    }

    @Override
    public List<String> readDirectory(int dirFd) {
        Memory buf = new Memory(32768);
        List<String> names = new ArrayList<>();
        while (true) {
            long n = check(
                    sys(SyscallNumbers.GETDENTS64, dirFd, Pointer.nativeValue(buf), buf.size(), 0, 0, 0),
                    "getdents64",
                    fdPathOrNumber(dirFd),
                    buf);
            if (n == 0) {
                return names;
            }
            // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, then the NUL-terminated name
            for (long off = 0; off < n; off += buf.getShort(off + 16) & 0xffff) {
                long nameStart = off + 19;
                long end = nameStart;
                while (buf.getByte(end) != 0) {
                    end++;
                }
                byte[] raw = buf.getByteArray(nameStart, (int) (end - nameStart));
                String name = new String(raw, StandardCharsets.UTF_8);
                if (!Arrays.equals(raw, name.getBytes(StandardCharsets.UTF_8))) {
                    throw new SyscallException(
                            "getdents64", fdPathOrNumber(dirFd) + ": a name that is not UTF-8", Errno.EILSEQ);
                }
                if (!name.equals(".") && !name.equals("..")) {
                    names.add(name);
                }
            }
        }
    }

    @Override
    public long sendfile(int outFd, int inFd, long count) {
        long n;
        do {
            n = sys(SyscallNumbers.SENDFILE, outFd, inFd, 0, count, 0, 0);
        } while (n < 0 && errno() == Errno.EINTR);
        return check(n, "sendfile", fdPathOrNumber(inFd));
    }

    @Override
    public List<String> listXattrs(int fd) {
        while (true) {
            long size = check(LibC.flistxattr(fd, null, 0), "flistxattr", fdPathOrNumber(fd));
            if (size == 0) {
                return List.of();
            }
            Memory buf = new Memory(size);
            long n = LibC.flistxattr(fd, buf, size);
            if (n < 0 && errno() == Errno.ERANGE) {
                continue; // an attribute was added between the two calls
            }
            check(n, "flistxattr", fdPathOrNumber(fd));
            List<String> names = new ArrayList<>();
            int start = 0;
            byte[] all = buf.getByteArray(0, (int) n);
            for (int i = 0; i < all.length; i++) {
                if (all[i] == 0) {
                    names.add(new String(all, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return names;
        }
    }

    @Override
    public byte[] getXattr(int fd, String name) {
        while (true) {
            long size = check(LibC.fgetxattr(fd, name, null, 0), "fgetxattr", name + " of " + fdPathOrNumber(fd));
            if (size == 0) {
                return new byte[0];
            }
            Memory buf = new Memory(size);
            long n = LibC.fgetxattr(fd, name, buf, size);
            if (n < 0 && errno() == Errno.ERANGE) {
                continue; // the value grew between the two calls
            }
            check(n, "fgetxattr", name + " of " + fdPathOrNumber(fd));
            return buf.getByteArray(0, (int) n);
        }
    }

    @Override
    public void setXattr(int fd, String name, byte[] value) {
        Memory buf = new Memory(Math.max(1, value.length));
        buf.write(0, value, 0, value.length);
        check(LibC.fsetxattr(fd, name, buf, value.length, 0), "fsetxattr", name + " on " + fdPathOrNumber(fd), buf);
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        if (LibC.mount(source, target, fstype, flags, data) < 0) {
            int e = errno();
            throw new SyscallException("mount", describeMount(source, target, fstype, flags, data), e);
        }
    }

    private static String describeMount(String source, String target, String fstype, long flags, String data) {
        StringBuilder b = new StringBuilder();
        if (source != null && !source.isEmpty()) {
            b.append(source).append(' ');
        }
        if (fstype != null && !fstype.isEmpty()) {
            b.append('(').append(fstype).append(") ");
        }
        b.append("on ").append(target).append(" flags 0x").append(Long.toHexString(flags));
        if (data != null && !data.isEmpty()) {
            b.append(" data ").append(data);
        }
        return b.toString();
    }

    @Override
    public void umount2(String target, int flags) {
        check(LibC.umount2(target, flags), "umount2", target);
    }

    @Override
    public void pivotRoot(String newRoot, String putOld) {
        Memory n = cString(newRoot);
        Memory o = cString(putOld);
        check(
                sys(SyscallNumbers.PIVOT_ROOT, Pointer.nativeValue(n), Pointer.nativeValue(o), 0, 0, 0, 0),
                "pivot_root",
                newRoot,
                n,
                o);
    }

    @Override
    public void mountSetattr(
            int dirfd, String path, int atFlags, long attrSet, long attrClr, long propagation, int usernsFd) {
        Memory attr = new Memory(32);
        attr.setLong(0, attrSet);
        attr.setLong(8, attrClr);
        attr.setLong(16, propagation);
        attr.setLong(24, usernsFd < 0 ? 0 : usernsFd);
        Memory p = cString(path);
        check(
                sys(
                        SyscallNumbers.MOUNT_SETATTR,
                        dirfd,
                        Pointer.nativeValue(p),
                        atFlags,
                        Pointer.nativeValue(attr),
                        32,
                        0),
                "mount_setattr",
                path.isEmpty() ? fdPathOrNumber(dirfd) : path,
                p,
                attr);
    }

    @Override
    public int openTree(int dirfd, String path, int flags) {
        Memory p = cString(path);
        return (int) check(
                sys(SyscallNumbers.OPEN_TREE, dirfd, Pointer.nativeValue(p), flags, 0, 0, 0),
                "open_tree",
                path.isEmpty() ? fdPathOrNumber(dirfd) : path,
                p);
    }

    @Override
    public void moveMount(int fromDirfd, String fromPath, int toDirfd, String toPath, int flags) {
        Memory f = cString(fromPath);
        Memory t = cString(toPath);
        check(
                sys(
                        SyscallNumbers.MOVE_MOUNT,
                        fromDirfd,
                        Pointer.nativeValue(f),
                        toDirfd,
                        Pointer.nativeValue(t),
                        flags,
                        0),
                "move_mount",
                toPath,
                f,
                t);
    }

    @Override
    public void chdir(String path) {
        check(LibC.chdir(path), "chdir", path);
    }

    @Override
    public void fchdir(int fd) {
        check(LibC.fchdir(fd), "fchdir", fdPathOrNumber(fd));
    }

    @Override
    public void chroot(String path) {
        check(LibC.chroot(path), "chroot", path);
    }

    @Override
    public String getcwd() {
        Memory buf = new Memory(4097);
        Pointer p = LibC.getcwd(buf, 4096);
        if (p == null) {
            throw new SyscallException("getcwd", "", errno());
        }
        return buf.getString(0, "UTF-8");
    }

    @Override
    public void sethostname(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        check(LibC.sethostname(name, b.length), "sethostname", name);
    }

    @Override
    public void setdomainname(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        check(LibC.setdomainname(name, b.length), "setdomainname", name);
    }

    @Override
    public int umask(int mask) {
        return LibC.umask(mask);
    }

    @Override
    public void setsid() {
        check(LibC.setsid(), "setsid", "");
    }

    /** struct termios is 60 bytes in glibc; room to spare. */
    private static final int TERMIOS_BYTES = 128;

    private static final int TCSANOW = 0;

    @Override
    public boolean isatty(int fd) {
        return LibC.isatty(fd) == 1;
    }

    @Override
    public byte[] tcgetattr(int fd) {
        Memory m = new Memory(TERMIOS_BYTES);
        m.clear();
        check(LibC.tcgetattr(fd, m), "tcgetattr", "fd " + fd);
        return m.getByteArray(0, TERMIOS_BYTES);
    }

    @Override
    public void tcsetattr(int fd, byte[] termios) {
        Memory m = new Memory(TERMIOS_BYTES);
        m.write(0, termios, 0, TERMIOS_BYTES);
        check(LibC.tcsetattr(fd, TCSANOW, m), "tcsetattr", "fd " + fd);
    }

    @Override
    public byte[] cfmakeraw(byte[] termios) {
        Memory m = new Memory(TERMIOS_BYTES);
        m.write(0, termios, 0, TERMIOS_BYTES);
        LibC.cfmakeraw(m);
        return m.getByteArray(0, TERMIOS_BYTES);
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        return check(LibC.ioctl(fd, request, arg), "ioctl", "0x" + Long.toHexString(request));
    }

    @Override
    public void ioctlBuffer(int fd, long request, byte[] buf) {
        Memory m = new Memory(Math.max(8, buf.length));
        m.clear();
        m.write(0, buf, 0, buf.length);
        check(LibC.ioctl(fd, request, Pointer.nativeValue(m)), "ioctl", "0x" + Long.toHexString(request), m);
        m.read(0, buf, 0, buf.length);
    }

    @Override
    public void unshare(int flags) {
        check(LibC.unshare(flags), "unshare", "0x" + Integer.toHexString(flags));
    }

    @Override
    public void setns(int fd, int nstype) {
        check(LibC.setns(fd, nstype), "setns", fdPathOrNumber(fd));
    }

    @Override
    public void setrlimit(int resource, long soft, long hard) {
        prlimit(0, resource, soft, hard);
    }

    @Override
    public void prlimit(int pid, int resource, long soft, long hard) {
        Memory lim = new Memory(16);
        lim.setLong(0, soft);
        lim.setLong(8, hard);
        check(
                LibC.prlimit(pid, resource, Pointer.nativeValue(lim), 0),
                "prlimit",
                (pid == 0 ? "" : "pid " + pid + " ") + "resource " + resource,
                lim);
    }

    @Override
    public long[] getrlimit(int resource) {
        Memory old = new Memory(16);
        check(LibC.prlimit(0, resource, 0, Pointer.nativeValue(old)), "prlimit", "resource " + resource, old);
        return new long[] {old.getLong(0), old.getLong(8)};
    }

    @Override
    public void personality(long persona) {
        check(LibC.personality(persona), "personality", "0x" + Long.toHexString(persona));
    }

    @Override
    public void prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        check(LibC.prctl(option, arg2, arg3, arg4, arg5), "prctl", "option " + option);
    }

    @Override
    public void ioprioSet(int which, int who, int ioprio) {
        check(sys(SyscallNumbers.IOPRIO_SET, which, who, ioprio, 0, 0, 0), "ioprio_set", "");
    }

    @Override
    public void schedSetattr(int pid, SchedAttr a) {
        Memory m = new Memory(56);
        m.clear();
        m.setInt(0, 56);
        m.setInt(4, a.policy());
        m.setLong(8, a.flags());
        m.setInt(16, a.nice());
        m.setInt(20, a.priority());
        m.setLong(24, a.runtime());
        m.setLong(32, a.deadline());
        m.setLong(40, a.period());
        check(sys(SyscallNumbers.SCHED_SETATTR, pid, Pointer.nativeValue(m), 0, 0, 0, 0), "sched_setattr", "", m);
    }

    @Override
    public int pidfdOpen(int pid) {
        return Pidfd.open(pid);
    }

    @Override
    public void schedSetaffinity(int pid, long[] cpus) {
        Memory m = longs(cpus);
        check(
                sys(SyscallNumbers.SCHED_SETAFFINITY, pid, m.size(), Pointer.nativeValue(m), 0, 0, 0),
                "sched_setaffinity",
                "cpus " + BitmaskList.format(cpus),
                m);
    }

    @Override
    public void setMempolicy(int mode, long[] nodes) {
        if (nodes.length == 0) {
            check(sys(SyscallNumbers.SET_MEMPOLICY, mode, 0, 0, 0, 0, 0), "set_mempolicy", "no nodes");
            return;
        }
        Memory m = longs(nodes);
        // maxnode counts one more than the bits the kernel reads (it decrements it first)
        check(
                sys(SyscallNumbers.SET_MEMPOLICY, mode, Pointer.nativeValue(m), nodes.length * 64L + 1, 0, 0, 0),
                "set_mempolicy",
                "nodes " + BitmaskList.format(nodes),
                m);
    }

    /** {@code values} in native memory, 8 bytes each. */
    private static Memory longs(long[] values) {
        Memory m = new Memory(Math.max(8, values.length * 8L));
        m.clear();
        for (int i = 0; i < values.length; i++) {
            m.setLong(i * 8L, values[i]);
        }
        return m;
    }

    @Override
    public void setgroups(long[] gids) {
        Memory m = new Memory(Math.max(4, gids.length * 4L));
        for (int i = 0; i < gids.length; i++) {
            m.setInt(i * 4L, (int) gids[i]);
        }
        check(sys(SyscallNumbers.SETGROUPS, gids.length, Pointer.nativeValue(m), 0, 0, 0, 0), "setgroups", "", m);
    }

    @Override
    public void setresgid(long r, long e, long s) {
        check(sys(SyscallNumbers.SETRESGID, r, e, s, 0, 0, 0), "setresgid", String.valueOf(e));
    }

    @Override
    public void setresuid(long r, long e, long s) {
        check(sys(SyscallNumbers.SETRESUID, r, e, s, 0, 0, 0), "setresuid", String.valueOf(e));
    }

    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    @Override
    public void capset(long effective, long permitted, long inheritable) {
        Memory hdr = new Memory(8);
        hdr.setInt(0, LINUX_CAPABILITY_VERSION_3);
        hdr.setInt(4, 0);
        Memory data = new Memory(24);
        data.setInt(0, (int) effective);
        data.setInt(4, (int) permitted);
        data.setInt(8, (int) inheritable);
        data.setInt(12, (int) (effective >>> 32));
        data.setInt(16, (int) (permitted >>> 32));
        data.setInt(20, (int) (inheritable >>> 32));
        check(
                sys(SyscallNumbers.CAPSET, Pointer.nativeValue(hdr), Pointer.nativeValue(data), 0, 0, 0, 0),
                "capset",
                "",
                hdr,
                data);
    }

    @Override
    public CapSets capget() {
        Memory hdr = new Memory(8);
        hdr.setInt(0, LINUX_CAPABILITY_VERSION_3);
        hdr.setInt(4, 0);
        Memory data = new Memory(24);
        data.clear();
        check(
                sys(SyscallNumbers.CAPGET, Pointer.nativeValue(hdr), Pointer.nativeValue(data), 0, 0, 0, 0),
                "capget",
                "",
                hdr,
                data);
        long eff = (data.getInt(0) & 0xffffffffL) | ((long) data.getInt(12) << 32);
        long prm = (data.getInt(4) & 0xffffffffL) | ((long) data.getInt(16) << 32);
        long inh = (data.getInt(8) & 0xffffffffL) | ((long) data.getInt(20) << 32);
        return new CapSets(eff, prm, inh);
    }

    private static final int SECCOMP_SET_MODE_FILTER = 1;

    @Override
    public int seccompSetFilter(int flags, byte[] program) {
        int count = program.length / 8;
        Memory insns = new Memory(Math.max(8, program.length));
        insns.write(0, program, 0, program.length);
        Memory fprog = new Memory(16);
        fprog.clear();
        fprog.setShort(0, (short) count);
        fprog.setPointer(8, insns);
        return (int) check(
                sys(SyscallNumbers.SECCOMP, SECCOMP_SET_MODE_FILTER, flags, Pointer.nativeValue(fprog), 0, 0, 0),
                "seccomp",
                "SECCOMP_SET_MODE_FILTER",
                fprog,
                insns);
    }

    @Override
    public void dup3(int oldfd, int newfd, int flags) {
        if (oldfd == newfd) {
            // dup3 refuses equal fds; clearing or setting CLOEXEC is what the caller wants
            fcntl(oldfd, Flags.F_SETFD, (flags & Flags.O_CLOEXEC) != 0 ? Flags.FD_CLOEXEC : 0);
            return;
        }
        check(LibC.dup3(oldfd, newfd, flags), "dup3", oldfd + " -> " + newfd);
    }

    @Override
    public int fcntl(int fd, int cmd, long arg) {
        return check(LibC.fcntl(fd, cmd, arg), "fcntl", "fd " + fd);
    }

    @Override
    public void closeRange(int first, int last, int flags) {
        check(sys(SyscallNumbers.CLOSE_RANGE, first, last & 0xffffffffL, flags, 0, 0, 0), "close_range", "");
    }

    @Override
    public int[] pipe2(int flags) {
        int[] fds = new int[2];
        check(LibC.pipe2(fds, flags), "pipe2", "");
        return fds;
    }

    @Override
    public int[] socketpair(int domain, int type) {
        int[] fds = new int[2];
        check(LibC.socketpair(domain, type | Flags.SOCK_CLOEXEC, 0, fds), "socketpair", "");
        return fds;
    }

    private static Memory unixAddress(String path, String call) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= 108) {
            throw new SyscallException(call, path + " (path too long for a unix socket)", Errno.EINVAL);
        }
        Memory addr = new Memory(110);
        addr.clear();
        addr.setShort(0, (short) Flags.AF_UNIX);
        addr.write(2, p, 0, p.length);
        return addr;
    }

    @Override
    public int listenUnix(String path, int type) {
        Memory addr = unixAddress(path, "bind");
        int fd = check(LibC.socket(Flags.AF_UNIX, type | Flags.SOCK_CLOEXEC, 0), "socket", path);
        boolean bound = LibC.bind(fd, Pointer.nativeValue(addr), 110) >= 0;
        Reference.reachabilityFence(addr);
        if (!bound || LibC.listen(fd, 16) < 0) {
            int e = errno();
            LibC.close(fd);
            throw new SyscallException("bind", path, e);
        }
        return fd;
    }

    @Override
    public int accept(int listeningFd) {
        int fd;
        do {
            fd = LibC.accept4(listeningFd, 0, 0, Flags.SOCK_CLOEXEC);
        } while (fd < 0 && errno() == Errno.EINTR);
        return check(fd, "accept", "fd " + listeningFd);
    }

    @Override
    public int netlinkSocket(int protocol) {
        int fd = check(
                LibC.socket(Flags.AF_NETLINK, Flags.SOCK_RAW | Flags.SOCK_CLOEXEC, protocol), "socket", "netlink");
        // struct sockaddr_nl: family, pad, port id 0 (the kernel assigns one), no multicast groups
        Memory addr = new Memory(12);
        addr.clear();
        addr.setShort(0, (short) Flags.AF_NETLINK);
        boolean bound = LibC.bind(fd, Pointer.nativeValue(addr), 12) >= 0;
        Reference.reachabilityFence(addr);
        if (!bound) {
            int e = errno();
            LibC.close(fd);
            throw new SyscallException("bind", "netlink", e);
        }
        return fd;
    }

    @Override
    public int connectUnix(String path, int type) {
        Memory addr = unixAddress(path, "connect");
        int fd = check(LibC.socket(Flags.AF_UNIX, type | Flags.SOCK_CLOEXEC, 0), "socket", path);
        int connected = LibC.connect(fd, Pointer.nativeValue(addr), 110);
        Reference.reachabilityFence(addr);
        if (connected < 0) {
            int e = errno();
            LibC.close(fd);
            throw new SyscallException("connect", path, e);
        }
        return fd;
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        Memory m = new Memory(Math.max(1, len));
        long n;
        do {
            n = LibC.read(fd, Pointer.nativeValue(m), len);
        } while (n < 0 && errno() == Errno.EINTR);
        check(n, "read", "fd " + fd);
        m.read(0, buf, off, (int) n);
        return (int) n;
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) {
        Memory m = new Memory(Math.max(1, len));
        m.write(0, buf, off, len);
        long n;
        do {
            n = LibC.write(fd, Pointer.nativeValue(m), len);
        } while (n < 0 && errno() == Errno.EINTR);
        return (int) check(n, "write", "fd " + fd, m);
    }

    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;

    @Override
    public void sendFds(int socket, byte[] payload, int... fds) {
        Memory data = new Memory(Math.max(1, payload.length));
        data.write(0, payload, 0, payload.length);
        Memory iov = new Memory(16);
        iov.setPointer(0, data);
        iov.setLong(8, payload.length);
        int cmsgLen = 16 + 4 * fds.length;
        int cmsgSpace = 16 + ((4 * fds.length + 7) & ~7);
        Memory control = new Memory(Math.max(16, cmsgSpace));
        control.clear();
        control.setLong(0, cmsgLen);
        control.setInt(8, SOL_SOCKET);
        control.setInt(12, SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) {
            control.setInt(16 + 4L * i, fds[i]);
        }
        Memory msg = new Memory(56);
        msg.clear();
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        if (fds.length > 0) {
            msg.setPointer(32, control);
            msg.setLong(40, cmsgSpace);
        }
        long n;
        do {
            n = LibC.sendmsg(socket, Pointer.nativeValue(msg), MSG_NOSIGNAL);
        } while (n < 0 && errno() == Errno.EINTR);
        check(n, "sendmsg", "fd " + socket, msg, iov, data, control);
    }

    @Override
    public int[] recvFds(int socket, byte[] payload, int[] lenOut, int maxFds) {
        Memory data = new Memory(Math.max(1, payload.length));
        Memory iov = new Memory(16);
        iov.setPointer(0, data);
        iov.setLong(8, payload.length);
        int cmsgSpace = 16 + ((4 * maxFds + 7) & ~7);
        Memory control = new Memory(cmsgSpace);
        control.clear();
        Memory msg = new Memory(56);
        msg.clear();
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, control);
        msg.setLong(40, cmsgSpace);
        long n;
        do {
            n = LibC.recvmsg(socket, Pointer.nativeValue(msg), MSG_CMSG_CLOEXEC);
        } while (n < 0 && errno() == Errno.EINTR);
        check(n, "recvmsg", "fd " + socket, msg, iov, data, control);
        data.read(0, payload, 0, (int) n);
        lenOut[0] = (int) n;
        long controlLen = msg.getLong(40);
        if (controlLen < 16) {
            return new int[0];
        }
        long cmsgLen = control.getLong(0);
        if (control.getInt(8) != 1 || control.getInt(12) != 1) {
            return new int[0];
        }
        int count = (int) ((cmsgLen - 16) / 4);
        int[] fds = new int[count];
        for (int i = 0; i < count; i++) {
            fds[i] = control.getInt(16 + 4L * i);
        }
        return fds;
    }

    @Override
    public int getpid() {
        return LibC.getpid();
    }

    @Override
    public int gettid() {
        return (int) sys(SyscallNumbers.GETTID, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void kill(int pid, int sig) {
        check(LibC.kill(pid, sig), "kill", "pid " + pid);
    }

    @Override
    public int[] waitpid(int pid, int options) {
        int[] status = new int[1];
        int r;
        do {
            r = LibC.waitpid(pid, status, options);
        } while (r < 0 && errno() == Errno.EINTR);
        check(r, "waitpid", "pid " + pid);
        return new int[] {r, status[0]};
    }

    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    /** siginfo_t.si_code of a child that exited (rather than was killed). */
    private static final int CLD_EXITED = 1;

    @Override
    public int[] peekExit(int pid) {
        Memory info = new Memory(128);
        info.clear();
        int r;
        do {
            r = LibC.waitid(P_PID, pid, info, WEXITED | Flags.WNOHANG | WNOWAIT);
        } while (r < 0 && errno() == Errno.EINTR);
        check(r, "waitid", "pid " + pid);
        if (info.getInt(16) == 0) {
            return null;
        }
        int code = info.getInt(8);
        int status = info.getInt(24);
        // CLD_EXITED: status is the exit code; otherwise it is the signal
        return code == CLD_EXITED ? new int[] {status, 0} : new int[] {0, status};
    }

    @Override
    public PreparedSibling prepareSibling(PreparedExec image, boolean controllingTerminal, int errnoFd, int goFd) {
        ForkChain chain = new ForkChain();
        if (goFd >= 0) {
            chain.readByte(goFd);
        }
        chain.setsid();
        if (controllingTerminal) {
            chain.ioctl(0, Tty.TIOCSCTTY, 0);
        }
        chain.execve(image).writeErrno(errnoFd).exit(127);
        chain.first();
        return new PreparedSibling(image, chain);
    }

    @Override
    public int startSibling(PreparedSibling sibling) {
        long pid = sibling.chain().start(CloneFlags.CLONE_PARENT);
        if (pid < 0) {
            throw new SyscallException("clone", "CLONE_PARENT", (int) -pid);
        }
        return (int) pid;
    }

    @Override
    public int startIdleInNewUserNamespace(int holdFd) {
        ForkChain chain = new ForkChain()
                .syscall(SyscallNumbers.PRCTL, Prctl.PR_SET_PDEATHSIG, SignalNumbers.SIGKILL, 0, 0)
                .readByte(holdFd)
                .exit(0);
        long pid = chain.start(CloneFlags.CLONE_NEWUSER);
        if (pid < 0) {
            throw new SyscallException("clone", "CLONE_NEWUSER", (int) -pid);
        }
        return (int) pid;
    }

    @Override
    public PreparedExec prepareExec(String path, String[] argv, String[] envp) {
        return PreparedExec.of(path, argv, envp);
    }

    @Override
    public void execve(PreparedExec exec) {
        LibC.execve(exec.pathAddress(), exec.argvAddress(), exec.envpAddress());
        int err = errno();
        exec.keepAlive();
        throw new SyscallException("execve", exec.path(), err);
    }
}
