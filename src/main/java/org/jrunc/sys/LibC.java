package org.jrunc.sys;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Direct-mapped glibc functions. This class and {@link RawSyscalls} are the only places that call into the kernel.
 * Pointers are passed as {@code long} addresses where a call may happen in a cloned child, because direct mapping of
 * primitive arguments allocates nothing on the Java side.
 */
final class LibC {
    static {
        JnaStartup.seedFieldOrder();
        // "libc.so.6" rather than "c": the short name makes JNA run ldconfig -p on every start (about 30 ms).
        Native.register(LibC.class, NativeLibrary.getInstance("libc.so.6"));
    }

    private LibC() {
    }

    static void load() {
        // touching the class runs the static initialiser
    }

    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    static native int mount(String source, String target, String fstype, long flags, String data);

    static native int umount2(String target, int flags);

    static native int chdir(String path);

    static native int fchdir(int fd);

    static native int chroot(String path);

    static native int sethostname(String name, long len);

    static native int setdomainname(String name, long len);

    static native int mknod(String path, int mode, long dev);

    static native int mkfifo(String path, int mode);

    static native int open(String path, int flags, int mode);

    static native int openat(int dirfd, String path, int flags, int mode);

    static native int close(int fd);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native int dup2(int oldfd, int newfd);

    static native int dup3(int oldfd, int newfd, int flags);

    static native int fcntl(int fd, int cmd, long arg);

    static native int ioctl(int fd, long request, long arg);

    static native int pipe2(int[] fds, int flags);

    static native int socketpair(int domain, int type, int protocol, int[] fds);

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, long addr, int addrlen);

    static native int listen(int fd, int backlog);

    static native int accept4(int fd, long addr, long addrlen, int flags);

    static native int connect(int fd, long addr, int addrlen);

    static native long sendmsg(int fd, long msg, int flags);

    static native long recvmsg(int fd, long msg, int flags);

    static native int unshare(int flags);

    static native int setns(int fd, int nstype);

    static native int kill(int pid, int sig);

    static native int waitpid(int pid, int[] status, int options);

    static native int waitid(int idtype, int id, Pointer infop, int options);

    static native int getpid();

    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    static native int setrlimit(int resource, long rlim);

    static native int prlimit(int pid, int resource, long newLimit, long oldLimit);

    static native int personality(long persona);

    static native int execve(String path, long argv, long envp);

    static native int fchmod(int fd, int mode);

    static native int fchown(int fd, int uid, int gid);

    static native int fchownat(int dirfd, String path, int uid, int gid, int flags);

    static native int umask(int mask);

    static native int setsid();

    static native String strerror(int errnum);

    static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attr, long argv, long envp);

    static native int posix_spawn_file_actions_init(Pointer fileActions);

    static native int posix_spawn_file_actions_destroy(Pointer fileActions);

    static native int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newfd);

    static native int posix_spawn_file_actions_addclose(Pointer fileActions, int fd);

    static native int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

    static native int posix_spawnattr_init(Pointer attr);

    static native int posix_spawnattr_destroy(Pointer attr);

    static native int posix_spawnattr_setflags(Pointer attr, short flags);

    static native int posix_spawnattr_setsigmask(Pointer attr, Pointer sigmask);

    static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigmask);

    static native int sigfillset(Pointer set);

    static native int sigemptyset(Pointer set);

    static native int tcgetattr(int fd, Pointer termios);

    static native int tcsetattr(int fd, int action, Pointer termios);

    static native void cfmakeraw(Pointer termios);

    static native int poll(long fds, long nfds, int timeout);

    static native int statx(int dirfd, String path, int flags, int mask, Pointer buf);

    static native int fstatfs(int fd, Pointer buf);

    static native Pointer getcwd(Pointer buf, long size);

    static native int chmod(String path, int mode);

    static native int isatty(int fd);

    static native long readlinkat(int dirfd, String path, Pointer buf, long size);

    /** glibc's clone(fn, stack, flags, arg, ptid, tls, ctid): the child calls fn(arg) on the new stack. */
    static native int clone(long fn, long stack, int flags, long arg, long ptid, long tls, long ctid);
}
