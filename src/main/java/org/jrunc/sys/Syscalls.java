package org.jrunc.sys;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The kernel calls that container set-up makes, as one seam: {@link LinuxSyscalls} does them, and tests substitute a
 * recording implementation so the init sequence can be checked without root. Every method throws
 * {@link SyscallException} on failure.
 */
public interface Syscalls {

    // ---- files and directories (fd-relative, so paths are resolved inside the container root) ----

    int open(String path, int flags, int mode);

    int openat(int dirfd, String path, int flags, int mode);

    /** openat2(2); {@code resolve} takes {@link Flags#RESOLVE_IN_ROOT} and friends. */
    int openat2(int dirfd, String path, long flags, long mode, long resolve);

    void close(int fd);

    void mkdirat(int dirfd, String name, int mode);

    void mknodat(int dirfd, String name, int mode, long dev);

    void symlinkat(String target, int dirfd, String linkpath);

    void unlinkat(int dirfd, String name, int flags);

    /** linkat(2); with {@link Flags#AT_SYMLINK_FOLLOW} and /proc/self/fd/N, gives an O_TMPFILE file its name. */
    void linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

    /** chmod through /proc/self/fd, which also works for O_PATH descriptors. */
    void fchmod(int fd, int mode);

    /** fchownat(fd, "", AT_EMPTY_PATH): works for O_PATH descriptors. */
    void fchown(int fd, long uid, long gid);

    FileStat fstat(int fd);

    /** statfs(2) of the filesystem an fd is on. */
    StatFs fstatfs(int fd);

    /** readlinkat(2); with an empty path, reads the symlink an O_PATH|O_NOFOLLOW descriptor refers to. */
    String readlinkat(int dirfd, String path);

    /** The path an fd refers to, read from /proc/self/fd. */
    String fdPath(int fd);

    /**
     * The names in a directory open for reading (getdents64), without "." and "..". A name that is not UTF-8 (which
     * the String-taking calls here could not name again) fails with EILSEQ.
     */
    List<String> readDirectory(int dirFd);

    /** sendfile(2) from {@code inFd}'s file offset to {@code outFd}: the bytes copied, 0 at the end of the input. */
    long sendfile(int outFd, int inFd, long count);

    /** The names of an open file's extended attributes (flistxattr). */
    List<String> listXattrs(int fd);

    /** The value of one extended attribute of an open file (fgetxattr). */
    byte[] getXattr(int fd, String name);

    /** fsetxattr(2), creating or replacing the attribute. */
    void setXattr(int fd, String name, byte[] value);

    // ---- mounts ----

    void mount(String source, String target, String fstype, long flags, String data);

    void umount2(String target, int flags);

    void pivotRoot(String newRoot, String putOld);

    void mountSetattr(int dirfd, String path, int atFlags, long attrSet, long attrClr, long propagation, int usernsFd);

    int openTree(int dirfd, String path, int flags);

    void moveMount(int fromDirfd, String fromPath, int toDirfd, String toPath, int flags);

    // ---- process-wide state ----

    void chdir(String path);

    void fchdir(int fd);

    void chroot(String path);

    String getcwd();

    void sethostname(String name);

    void setdomainname(String name);

    int umask(int mask);

    void setsid();

    // ---- terminals (struct termios is handed around as opaque bytes) ----

    boolean isatty(int fd);

    byte[] tcgetattr(int fd);

    /** tcsetattr(fd, TCSANOW, termios). */
    void tcsetattr(int fd, byte[] termios);

    /** What cfmakeraw(3) makes of {@code termios}: raw mode, a copy. */
    byte[] cfmakeraw(byte[] termios);

    /** ioctl with an integer argument; returns the call's non-negative result. */
    int ioctl(int fd, long request, long arg);

    /** ioctl whose argument points to {@code buf}: copied in before the call and back out after it. */
    void ioctlBuffer(int fd, long request, byte[] buf);

    void unshare(int flags);

    void setns(int fd, int nstype);

    void setrlimit(int resource, long soft, long hard);

    /** prlimit(2) on another process: sets its {@code resource} limit (the caller needs CAP_SYS_RESOURCE). */
    void prlimit(int pid, int resource, long soft, long hard);

    /** The calling process's {soft, hard} limit of {@code resource}. */
    long[] getrlimit(int resource);

    void personality(long persona);

    void prctl(int option, long arg2, long arg3, long arg4, long arg5);

    void ioprioSet(int which, int who, int ioprio);

    void schedSetattr(int pid, SchedAttr attr);

    /** sched_setaffinity(2): the CPUs {@code pid} (0: the calling thread) may run on, a {@link BitmaskList} mask. */
    void schedSetaffinity(int pid, long[] cpus);

    /**
     * set_mempolicy(2) for the calling thread, inherited by the threads and processes it makes: {@code mode} with its
     * MPOL_F_* flags, and the nodes as a {@link BitmaskList} mask (empty: none, a NULL nodemask).
     */
    void setMempolicy(int mode, long[] nodes);

    // ---- credentials of the calling thread (raw system calls, not glibc's all-thread broadcast) ----

    void setgroups(long[] gids);

    void setresgid(long rgid, long egid, long sgid);

    void setresuid(long ruid, long euid, long suid);

    /** capset(2) version 3 on the calling thread; each array holds the low and high 32 bits. */
    void capset(long effective, long permitted, long inheritable);

    CapSets capget();

    /** seccomp(SECCOMP_SET_MODE_FILTER) with a classic BPF program; returns the notify listener fd or 0. */
    int seccompSetFilter(int flags, byte[] program);

    // ---- descriptors, pipes and sockets ----

    void dup3(int oldfd, int newfd, int flags);

    int fcntl(int fd, int cmd, long arg);

    void closeRange(int first, int last, int flags);

    int[] pipe2(int flags);

    int[] socketpair(int domain, int type);

    /**
     * A netlink socket (AF_NETLINK, SOCK_RAW, close-on-exec) of {@code protocol} (e.g. NETLINK_ROUTE), bound with a port
     * id the kernel picks, in the calling thread's network namespace. Requests go out with {@link #write} and each
     * {@link #read} returns one datagram of replies.
     */
    int netlinkSocket(int protocol);

    /** A connected AF_UNIX stream socket. */
    int connectUnix(String path, int type);

    /** An AF_UNIX stream socket bound to {@code path} and listening. */
    default int listenUnix(String path) {
        return listenUnix(path, Flags.SOCK_STREAM);
    }

    /** An AF_UNIX socket of {@code type} (stream or seqpacket) bound to {@code path} and listening. */
    int listenUnix(String path, int type);

    /** accept4(2) with SOCK_CLOEXEC. */
    int accept(int listeningFd);

    int read(int fd, byte[] buf, int off, int len);

    /**
     * read(2) until end of file, appending to {@code out} what fits below {@code limit} bytes in all; what comes after
     * that is read and dropped, so the writer never blocks on a full pipe. A failed read ends the loop with its
     * exception, and what was read until then stays in {@code out}.
     */
    default void readToEnd(int fd, ByteArrayOutputStream out, int limit) {
        byte[] buf = new byte[4096];
        for (int n; (n = read(fd, buf, 0, buf.length)) > 0; ) {
            if (out.size() < limit) {
                out.write(buf, 0, Math.min(n, limit - out.size()));
            }
        }
    }

    int write(int fd, byte[] buf, int off, int len);

    /** write(2) until all {@code len} bytes are out (a pipe or socket may take fewer per call). */
    default void writeAll(int fd, byte[] buf, int off, int len) {
        int done = 0;
        while (done < len) {
            done += write(fd, buf, off + done, len - done);
        }
    }

    /** sendmsg with a payload and SCM_RIGHTS carrying {@code fds}. */
    void sendFds(int socket, byte[] payload, int... fds);

    /** recvmsg: fills {@code payload}, returns the fds received; {@code lenOut[0]} is the payload length. */
    int[] recvFds(int socket, byte[] payload, int[] lenOut, int maxFds);

    // ---- processes ----

    int getpid();

    int gettid();

    void kill(int pid, int sig);

    /** waitpid; returns {pid, status}. pid is 0 with WNOHANG when nothing has changed. */
    int[] waitpid(int pid, int options);

    /**
     * SIGKILL to a child of this process, then waitpid for it: the clean-up after a failed create or exec. Quiet: a
     * failed kill (the child is gone already) skips the wait, and a failed wait is ignored.
     */
    default void killAndReap(int pid) {
        try {
            kill(pid, SignalNumbers.SIGKILL);
            waitpid(pid, 0);
        } catch (SyscallException e) {
            // gone already
        }
    }

    /**
     * {@link #killAndReap}, except that the wait happens even when the kill fails: the spawn watchdog's clean-up of a
     * child that hung before its exec (and of that child's own children), which has always done both steps on their
     * own. Each failure is ignored.
     */
    default void killAndAlwaysReap(int pid) {
        try {
            kill(pid, SignalNumbers.SIGKILL);
        } catch (SyscallException e) {
            // already gone
        }
        try {
            waitpid(pid, 0);
        } catch (SyscallException e) {
            // reaped elsewhere
        }
    }

    /**
     * waitid(P_PID, pid, WEXITED|WNOHANG|WNOWAIT): whether the child has exited, without reaping it (so its real
     * parent can still collect the status). Returns null while it runs, else {code, signal}.
     */
    int[] peekExit(int pid);

    /** pidfd_open(2): a close-on-exec descriptor referring to process {@code pid} (Linux 5.3). */
    int pidfdOpen(int pid);

    /** Never returns on success. */
    default void execve(String path, String[] argv, String[] envp) {
        execve(prepareExec(path, argv, envp));
    }

    /** The arguments of an execve in native memory, so that {@link #execve(PreparedExec)} allocates nothing. */
    PreparedExec prepareExec(String path, String[] argv, String[] envp);

    /** Never returns on success. */
    void execve(PreparedExec exec);

    /**
     * The chain of a process started with {@link #startSibling}: with {@code goFd} >= 0 it first blocks until a byte
     * (or end of file) can be read from it; then setsid, TIOCSCTTY on stdin if {@code controllingTerminal}, execve of
     * {@code image}; should the execve fail, its errno (4 bytes) goes to {@code errnoFd} and the child exits with 127.
     * {@code errnoFd} should be close-on-exec, so that end of file on its pipe means the execve succeeded.
     */
    PreparedSibling prepareSibling(PreparedExec image, boolean controllingTerminal, int errnoFd, int goFd);

    /** clone(CLONE_PARENT) from the calling thread, the child running {@code sibling}'s chain. Returns its pid. */
    int startSibling(PreparedSibling sibling);

    /**
     * clone(CLONE_NEWUSER) of a child that only waits, in a prepared chain (no Java): it asks for SIGKILL when the
     * calling thread ends, then blocks reading {@code holdFd} (a pipe whose write end it holds itself, so until it is
     * killed). Returns its pid. The caller writes its id maps and opens /proc/PID/ns/user, then kills and reaps it: a
     * user namespace with chosen mappings, which a multithreaded process cannot unshare for itself.
     */
    int startIdleInNewUserNamespace(int holdFd);
}
