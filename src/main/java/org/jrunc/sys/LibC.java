package org.jrunc.sys;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The glibc functions jrunc calls, invoked through JNA's {@link com.sun.jna.Function} rather than direct mapping
 * ({@code Native.register}). The first direct registration in a JVM builds JNA's FFIType table of Structures, whose
 * reflective field writes spin method-handle classes no AOT cache holds: 12-16 ms in every JVM that makes a system call
 * (the CLI of create, run and exec, and each stage), against ~0.2 ms for the first indirect call. The extra boxing
 * per call does not matter at jrunc's few hundred calls. This class is, with {@link ForkChain}, the only place that
 * calls into the kernel. No call here runs in a cloned child: that child runs a prepared chain (ForkChain).
 */
final class LibC {
    // "libc.so.6" rather than "c": the short name makes JNA run ldconfig -p on every start (about 30 ms)
    private static final NativeLibrary C = NativeLibrary.getInstance("libc.so.6");

    private LibC() {}

    static void load() {
        // touching the class runs the static initialiser
    }

    private static int i(String function, Object... args) {
        return C.getFunction(function).invokeInt(args);
    }

    private static long l(String function, Object... args) {
        return C.getFunction(function).invokeLong(args);
    }

    private static void v(String function, Object... args) {
        C.getFunction(function).invokeVoid(args);
    }

    private static String str(String function, Object... args) {
        return C.getFunction(function).invokeString(args, false);
    }

    private static Pointer ptr(String function, Object... args) {
        return C.getFunction(function).invokePointer(args);
    }

    static long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        return l("syscall", number, a1, a2, a3, a4, a5, a6);
    }

    static int mount(String source, String target, String fstype, long flags, String data) {
        return i("mount", source, target, fstype, flags, data);
    }

    static int umount2(String target, int flags) {
        return i("umount2", target, flags);
    }

    static int chdir(String path) {
        return i("chdir", path);
    }

    static int fchdir(int fd) {
        return i("fchdir", fd);
    }

    static int chroot(String path) {
        return i("chroot", path);
    }

    static int sethostname(String name, long len) {
        return i("sethostname", name, len);
    }

    static int setdomainname(String name, long len) {
        return i("setdomainname", name, len);
    }

    static int mknod(String path, int mode, long dev) {
        return i("mknod", path, mode, dev);
    }

    static int mkfifo(String path, int mode) {
        return i("mkfifo", path, mode);
    }

    static int open(String path, int flags, int mode) {
        return i("open", path, flags, mode);
    }

    static int openat(int dirfd, String path, int flags, int mode) {
        return i("openat", dirfd, path, flags, mode);
    }

    static int close(int fd) {
        return i("close", fd);
    }

    static long read(int fd, long buf, long count) {
        return l("read", fd, buf, count);
    }

    static long write(int fd, long buf, long count) {
        return l("write", fd, buf, count);
    }

    static int dup2(int oldfd, int newfd) {
        return i("dup2", oldfd, newfd);
    }

    static int dup3(int oldfd, int newfd, int flags) {
        return i("dup3", oldfd, newfd, flags);
    }

    static int fcntl(int fd, int cmd, long arg) {
        return i("fcntl", fd, cmd, arg);
    }

    static int ioctl(int fd, long request, long arg) {
        return i("ioctl", fd, request, arg);
    }

    static int pipe2(int[] fds, int flags) {
        return i("pipe2", fds, flags);
    }

    static int socketpair(int domain, int type, int protocol, int[] fds) {
        return i("socketpair", domain, type, protocol, fds);
    }

    static int socket(int domain, int type, int protocol) {
        return i("socket", domain, type, protocol);
    }

    static int bind(int fd, long addr, int addrlen) {
        return i("bind", fd, addr, addrlen);
    }

    static int listen(int fd, int backlog) {
        return i("listen", fd, backlog);
    }

    static int accept4(int fd, long addr, long addrlen, int flags) {
        return i("accept4", fd, addr, addrlen, flags);
    }

    static int connect(int fd, long addr, int addrlen) {
        return i("connect", fd, addr, addrlen);
    }

    static long sendmsg(int fd, long msg, int flags) {
        return l("sendmsg", fd, msg, flags);
    }

    static long recvmsg(int fd, long msg, int flags) {
        return l("recvmsg", fd, msg, flags);
    }

    static int unshare(int flags) {
        return i("unshare", flags);
    }

    static int setns(int fd, int nstype) {
        return i("setns", fd, nstype);
    }

    static int kill(int pid, int sig) {
        return i("kill", pid, sig);
    }

    static int waitpid(int pid, int[] status, int options) {
        return i("waitpid", pid, status, options);
    }

    static int waitid(int idtype, int id, Pointer infop, int options) {
        return i("waitid", idtype, id, infop, options);
    }

    static int getpid() {
        return i("getpid");
    }

    static int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        return i("prctl", option, arg2, arg3, arg4, arg5);
    }

    static int setrlimit(int resource, long rlim) {
        return i("setrlimit", resource, rlim);
    }

    static int prlimit(int pid, int resource, long newLimit, long oldLimit) {
        return i("prlimit", pid, resource, newLimit, oldLimit);
    }

    static int personality(long persona) {
        return i("personality", persona);
    }

    static int execve(long path, long argv, long envp) {
        return i("execve", path, argv, envp);
    }

    static int fchmod(int fd, int mode) {
        return i("fchmod", fd, mode);
    }

    static int fchown(int fd, int uid, int gid) {
        return i("fchown", fd, uid, gid);
    }

    static int fchownat(int dirfd, String path, int uid, int gid, int flags) {
        return i("fchownat", dirfd, path, uid, gid, flags);
    }

    static int umask(int mask) {
        return i("umask", mask);
    }

    static int setsid() {
        return i("setsid");
    }

    static String strerror(int errnum) {
        return str("strerror", errnum);
    }

    static int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attr, long argv, long envp) {
        return i("posix_spawn", pid, path, fileActions, attr, argv, envp);
    }

    static int posix_spawn_file_actions_init(Pointer fileActions) {
        return i("posix_spawn_file_actions_init", fileActions);
    }

    static int posix_spawn_file_actions_destroy(Pointer fileActions) {
        return i("posix_spawn_file_actions_destroy", fileActions);
    }

    static int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newfd) {
        return i("posix_spawn_file_actions_adddup2", fileActions, fd, newfd);
    }

    static int posix_spawn_file_actions_addclose(Pointer fileActions, int fd) {
        return i("posix_spawn_file_actions_addclose", fileActions, fd);
    }

    static int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from) {
        return i("posix_spawn_file_actions_addclosefrom_np", fileActions, from);
    }

    static int posix_spawnattr_init(Pointer attr) {
        return i("posix_spawnattr_init", attr);
    }

    static int posix_spawnattr_destroy(Pointer attr) {
        return i("posix_spawnattr_destroy", attr);
    }

    static int posix_spawnattr_setflags(Pointer attr, short flags) {
        return i("posix_spawnattr_setflags", attr, flags);
    }

    static int posix_spawnattr_setsigmask(Pointer attr, Pointer sigmask) {
        return i("posix_spawnattr_setsigmask", attr, sigmask);
    }

    static int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigmask) {
        return i("posix_spawnattr_setsigdefault", attr, sigmask);
    }

    static int sigfillset(Pointer set) {
        return i("sigfillset", set);
    }

    static int sigemptyset(Pointer set) {
        return i("sigemptyset", set);
    }

    static int tcgetattr(int fd, Pointer termios) {
        return i("tcgetattr", fd, termios);
    }

    static int tcsetattr(int fd, int action, Pointer termios) {
        return i("tcsetattr", fd, action, termios);
    }

    static void cfmakeraw(Pointer termios) {
        v("cfmakeraw", termios);
    }

    static int poll(long fds, long nfds, int timeout) {
        return i("poll", fds, nfds, timeout);
    }

    static int statx(int dirfd, String path, int flags, int mask, Pointer buf) {
        return i("statx", dirfd, path, flags, mask, buf);
    }

    static int fstatfs(int fd, Pointer buf) {
        return i("fstatfs", fd, buf);
    }

    static Pointer getcwd(Pointer buf, long size) {
        return ptr("getcwd", buf, size);
    }

    static int chmod(String path, int mode) {
        return i("chmod", path, mode);
    }

    static int isatty(int fd) {
        return i("isatty", fd);
    }

    static long readlinkat(int dirfd, String path, Pointer buf, long size) {
        return l("readlinkat", dirfd, path, buf, size);
    }

    static long flistxattr(int fd, Pointer list, long size) {
        return l("flistxattr", fd, list, size);
    }

    static long fgetxattr(int fd, String name, Pointer value, long size) {
        return l("fgetxattr", fd, name, value, size);
    }

    static int fsetxattr(int fd, String name, Pointer value, long size, int flags) {
        return i("fsetxattr", fd, name, value, size, flags);
    }

    /** The calling thread's errno, as glibc's wrappers in a child cloned from this thread will set it. */
    static long errnoLocation() {
        return Pointer.nativeValue(ptr("__errno_location"));
    }

    /** glibc's clone(fn, stack, flags, arg, ptid, tls, ctid): the child calls fn(arg) on the new stack. */
    static int clone(long fn, long stack, int flags, long arg, long ptid, long tls, long ctid) {
        return i("clone", fn, stack, flags, arg, ptid, tls, ctid);
    }
}
