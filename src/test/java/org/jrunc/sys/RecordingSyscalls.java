package org.jrunc.sys;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link Syscalls} for unit tests: a tiny in-memory filesystem (directories, files, device nodes, symlinks) and a
 * log of every call, so container set-up sequences can be checked without root and without a kernel.
 * Paths in the log are shown as the tests wrote them; descriptors are resolved back to their paths.
 *
 * <p>For the container operations: what a peer writes can be scripted per descriptor path ({@link #input}, e.g. the
 * init's frames on "socket:a"), what was written is kept per path ({@link #written}), the descriptors still open are
 * listed ({@link #openFds}), and a call can be made to fail ({@link #failOn}).
 */
public class RecordingSyscalls implements Syscalls {
    /** One node of the fake filesystem. */
    public record Node(int type, String target, int mode, long rdev) {}

    public final List<String> calls;
    public final Map<String, Node> files = new TreeMap<>();
    /** {uid, gid} of the nodes that are not root's, as fstat shows them and fchown sets them. */
    public final Map<String, long[]> owners = new HashMap<>();
    /** Extended attributes per path, as flistxattr/fgetxattr show them and fsetxattr sets them. */
    public final Map<String, Map<String, byte[]>> xattrs = new HashMap<>();

    private final Map<Integer, String> fds = new HashMap<>();
    private final Map<String, Deque<Byte>> inputs = new HashMap<>();
    private final Map<String, ByteArrayOutputStream> outputs = new LinkedHashMap<>();
    private final Map<String, RuntimeException> failures = new LinkedHashMap<>();
    private int nextFd = 100;

    public RecordingSyscalls() {
        this(new ArrayList<>());
    }

    /** Logging into {@code journal}, which other fakes may share, so that the order across them shows. */
    public RecordingSyscalls(List<String> journal) {
        this.calls = journal;
        files.put("/", new Node(FileStat.S_IFDIR, null, 0755, 0));
        files.put("/proc", new Node(FileStat.S_IFDIR, null, 0555, 0));
        files.put("/dev", new Node(FileStat.S_IFDIR, null, 0755, 0));
        files.put("/dev/null", new Node(FileStat.S_IFCHR, null, 0666, (1L << 8) | 3));
    }

    public RecordingSyscalls dir(String path) {
        String p = "";
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                p += "/" + part;
                files.putIfAbsent(p, new Node(FileStat.S_IFDIR, null, 0755, 0));
            }
        }
        return this;
    }

    /** A regular file (e.g. a cgroup.procs to open). */
    public RecordingSyscalls file(String path) {
        dir(parent(normalize(path)));
        files.put(normalize(path), new Node(FileStat.S_IFREG, null, 0644, 0));
        return this;
    }

    /** What reads of descriptors of {@code path} return ("socket:a", "pipe:r"...), after what was scripted before. */
    public RecordingSyscalls input(String path, byte[] bytes) {
        Deque<Byte> q = inputs.computeIfAbsent(path, k -> new ArrayDeque<>());
        for (byte b : bytes) {
            q.add(b);
        }
        return this;
    }

    /** Everything written to descriptors of {@code path}. */
    public byte[] written(String path) {
        ByteArrayOutputStream out = outputs.get(path);
        return out == null ? new byte[0] : out.toByteArray();
    }

    /** The paths of the descriptors not closed yet, in descriptor order. */
    public List<String> openFds() {
        return new ArrayList<>(new TreeMap<>(fds).values());
    }

    /**
     * Makes every call whose log form starts with {@code prefix} throw {@code e}: "socketpair", "pipe2", "open PATH",
     * "mknod PATH", "connect PATH", "kill PID", "waitpid PID", "mount SOURCE".
     */
    public RecordingSyscalls failOn(String prefix, RuntimeException e) {
        failures.put(prefix, e);
        return this;
    }

    private void maybeFail(String call) {
        for (Map.Entry<String, RuntimeException> f : failures.entrySet()) {
            if (call.startsWith(f.getKey())) {
                throw f.getValue();
            }
        }
    }

    public RecordingSyscalls symlink(String path, String target) {
        files.put(path, new Node(FileStat.S_IFLNK, target, 0777, 0));
        return this;
    }

    /** The calls of one kind (e.g. "mount"), in order. */
    public List<String> calls(String name) {
        List<String> out = new ArrayList<>();
        for (String c : calls) {
            if (c.startsWith(name + " ") || c.equals(name)) {
                out.add(c);
            }
        }
        return out;
    }

    private int newFd(String path) {
        int fd = nextFd++;
        fds.put(fd, path);
        return fd;
    }

    public String pathOf(int fd) {
        if (fd == Flags.AT_FDCWD) {
            return "/";
        }
        String p = fds.get(fd);
        if (p == null) {
            throw new SyscallException("fake", "unknown fd " + fd, Errno.EBADF);
        }
        return p;
    }

    private String show(String path) {
        if (path.startsWith("/proc/self/fd/")) {
            int fd = Integer.parseInt(path.substring("/proc/self/fd/".length()));
            return fds.containsKey(fd) ? fds.get(fd) : path;
        }
        return path;
    }

    static String join(String dir, String name) {
        if (name.startsWith("/")) {
            return normalize(name);
        }
        return normalize(dir + "/" + name);
    }

    static String normalize(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else {
                out.add(part);
            }
        }
        return "/" + String.join("/", out);
    }

    /** Resolves {@code name} under {@code base}, following symlinks but never above {@code root}. */
    private String resolve(String root, String base, String name, boolean followLast) {
        String current = base;
        List<String> parts = new ArrayList<>(List.of(name.split("/")));
        if (name.startsWith("/")) {
            current = root;
        }
        int links = 0;
        while (!parts.isEmpty()) {
            String part = parts.remove(0);
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            String next = part.equals("..") ? (current.equals(root) ? root : parent(current)) : join(current, part);
            Node n = files.get(next);
            if (n == null) {
                throw new SyscallException("fake-open", next, Errno.ENOENT);
            }
            if (n.type() == FileStat.S_IFLNK && (followLast || !parts.isEmpty())) {
                if (++links > 40) {
                    throw new SyscallException("fake-open", next, Errno.ELOOP);
                }
                List<String> target = new ArrayList<>(List.of(n.target().split("/")));
                target.addAll(parts);
                parts = target;
                if (n.target().startsWith("/")) {
                    current = root;
                }
                continue;
            }
            current = next;
        }
        return current;
    }

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i <= 0 ? "/" : p.substring(0, i);
    }

    @Override
    public int open(String path, int flags, int mode) {
        // a /proc/self/fd/N path reopens what descriptor N refers to
        String p = show(path);
        calls.add("open " + p);
        maybeFail("open " + p);
        if (!files.containsKey(normalize(p))) {
            throw new SyscallException("open", p, Errno.ENOENT);
        }
        return newFd(normalize(p));
    }

    @Override
    public int openat(int dirfd, String path, int flags, int mode) {
        return newFd(join(pathOf(dirfd), path));
    }

    @Override
    public int openat2(int dirfd, String path, long flags, long mode, long resolve) {
        String base = pathOf(dirfd);
        boolean inRoot = (resolve & Flags.RESOLVE_IN_ROOT) != 0 || (resolve & Flags.RESOLVE_BENEATH) != 0;
        String root = inRoot ? base : "/";
        boolean noFollow = (flags & Flags.O_NOFOLLOW) != 0;
        try {
            return newFd(resolve(root, base, path, !noFollow));
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT && (flags & Flags.O_CREAT) != 0) {
                String created = join(base, path);
                files.put(created, new Node(FileStat.S_IFREG, null, (int) mode, 0));
                calls.add("create " + created);
                return newFd(created);
            }
            throw e;
        }
    }

    @Override
    public void close(int fd) {
        fds.remove(fd);
    }

    @Override
    public void mkdirat(int dirfd, String name, int mode) {
        String p = join(pathOf(dirfd), name);
        if (files.containsKey(p)) {
            throw new SyscallException("mkdirat", p, Errno.EEXIST);
        }
        files.put(p, new Node(FileStat.S_IFDIR, null, mode, 0));
        calls.add("mkdir " + p);
    }

    @Override
    public void mknodat(int dirfd, String name, int mode, long dev) {
        String p = join(pathOf(dirfd), name);
        maybeFail("mknod " + p);
        if (files.containsKey(p)) {
            throw new SyscallException("mknodat", p, Errno.EEXIST);
        }
        files.put(p, new Node(mode & FileStat.S_IFMT, null, mode & 07777, dev));
        calls.add("mknod " + p + " " + Integer.toOctalString(mode));
    }

    @Override
    public void symlinkat(String target, int dirfd, String linkpath) {
        String p = join(pathOf(dirfd), linkpath);
        if (files.containsKey(p)) {
            throw new SyscallException("symlinkat", p, Errno.EEXIST);
        }
        files.put(p, new Node(FileStat.S_IFLNK, target, 0777, 0));
        calls.add("symlink " + p + " -> " + target);
    }

    @Override
    public void linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags) {
        String from = join(pathOf(olddirfd), oldpath);
        String to = join(pathOf(newdirfd), newpath);
        Node n = files.get(from);
        if (n == null) {
            throw new SyscallException("linkat", from, Errno.ENOENT);
        }
        if (files.containsKey(to)) {
            throw new SyscallException("linkat", to, Errno.EEXIST);
        }
        files.put(to, n);
        calls.add("link " + to + " -> " + from);
    }

    @Override
    public void unlinkat(int dirfd, String name, int flags) {
        String p = join(pathOf(dirfd), name);
        if (files.remove(p) == null) {
            throw new SyscallException("unlinkat", p, Errno.ENOENT);
        }
        calls.add("unlink " + p);
    }

    @Override
    public void fchmod(int fd, int mode) {
        calls.add("chmod " + pathOf(fd) + " " + Integer.toOctalString(mode));
        Node n = files.get(pathOf(fd));
        if (n != null) {
            files.put(pathOf(fd), new Node(n.type(), n.target(), mode & 07777, n.rdev()));
        }
    }

    @Override
    public void fchown(int fd, long uid, long gid) {
        calls.add("chown " + pathOf(fd) + " " + uid + ":" + gid);
        owners.put(pathOf(fd), new long[] {uid, gid});
    }

    @Override
    public FileStat fstat(int fd) {
        Node n = files.get(pathOf(fd));
        if (n == null) {
            throw new SyscallException("fstat", pathOf(fd), Errno.ENOENT);
        }
        long rdev = n.rdev();
        long[] owner = owners.getOrDefault(pathOf(fd), new long[] {0, 0});
        return new FileStat(
                n.type() | n.mode(), owner[0], owner[1], 1, 0, (int) (rdev >> 8), (int) (rdev & 0xff), 0, 0);
    }

    @Override
    public StatFs fstatfs(int fd) {
        return new StatFs(0, 0);
    }

    @Override
    public String readlinkat(int dirfd, String path) {
        String p = path.isEmpty() ? pathOf(dirfd) : join(pathOf(dirfd), path);
        Node n = files.get(p);
        if (n == null || n.type() != FileStat.S_IFLNK) {
            throw new SyscallException("readlinkat", p, Errno.EINVAL);
        }
        return n.target();
    }

    @Override
    public String fdPath(int fd) {
        return pathOf(fd);
    }

    @Override
    public List<String> readDirectory(int dirFd) {
        String dir = pathOf(dirFd);
        String prefix = dir.equals("/") ? "/" : dir + "/";
        List<String> names = new ArrayList<>();
        for (String p : files.keySet()) {
            if (p.startsWith(prefix) && p.length() > prefix.length() && p.indexOf('/', prefix.length()) < 0) {
                names.add(p.substring(prefix.length()));
            }
        }
        return names;
    }

    /** Moves what is scripted as the input of {@code inFd}'s path ({@link #input}) to {@code outFd}'s output. */
    @Override
    public long sendfile(int outFd, int inFd, long count) {
        byte[] buf = new byte[(int) Math.min(count, 1 << 16)];
        int n = read(inFd, buf, 0, buf.length);
        if (n > 0) {
            calls.add("sendfile " + pathOf(inFd) + " -> " + pathOf(outFd) + " " + n);
            outputs.computeIfAbsent(pathOf(outFd), k -> new ByteArrayOutputStream())
                    .write(buf, 0, n);
        }
        return n;
    }

    @Override
    public List<String> listXattrs(int fd) {
        maybeFail("listxattr " + pathOf(fd));
        return new ArrayList<>(xattrs.getOrDefault(pathOf(fd), Map.of()).keySet());
    }

    @Override
    public byte[] getXattr(int fd, String name) {
        byte[] v = xattrs.getOrDefault(pathOf(fd), Map.of()).get(name);
        if (v == null) {
            throw new SyscallException("fgetxattr", name, 61 /* ENODATA */);
        }
        return v.clone();
    }

    @Override
    public void setXattr(int fd, String name, byte[] value) {
        calls.add("setxattr " + pathOf(fd) + " " + name);
        maybeFail("setxattr " + pathOf(fd) + " " + name);
        xattrs.computeIfAbsent(pathOf(fd), k -> new TreeMap<>()).put(name, value.clone());
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        String call = "mount " + dash(show(source)) + " " + show(target) + " " + dash(fstype) + " 0x"
                + Long.toHexString(flags) + (data == null || data.isEmpty() ? "" : " " + data);
        maybeFail(call);
        calls.add(call);
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    @Override
    public void umount2(String target, int flags) {
        calls.add("umount2 " + show(target) + " " + flags);
    }

    @Override
    public void pivotRoot(String newRoot, String putOld) {
        calls.add("pivot_root " + newRoot + " " + putOld);
    }

    @Override
    public void mountSetattr(
            int dirfd, String path, int atFlags, long attrSet, long attrClr, long propagation, int usernsFd) {
        String call = "mount_setattr " + pathOf(dirfd) + " set=0x" + Long.toHexString(attrSet) + " clr=0x"
                + Long.toHexString(attrClr)
                + ((atFlags & Flags.AT_RECURSIVE) != 0 ? " recursive" : "")
                + (usernsFd >= 0 ? " userns=" + pathOf(usernsFd) : "");
        maybeFail(call);
        calls.add(call);
    }

    @Override
    public int openTree(int dirfd, String path, int flags) {
        String tree = join(pathOf(dirfd), path);
        String call = "open_tree " + tree + ((flags & Flags.AT_RECURSIVE) != 0 ? " recursive" : "");
        maybeFail(call);
        calls.add(call);
        // named by its source, so that fstat sees the source's node
        return newFd(tree);
    }

    @Override
    public void moveMount(int fromDirfd, String fromPath, int toDirfd, String toPath, int flags) {
        calls.add("move_mount " + pathOf(fromDirfd) + " " + join(pathOf(toDirfd), toPath));
    }

    @Override
    public void chdir(String path) {
        calls.add("chdir " + path);
    }

    @Override
    public void fchdir(int fd) {
        calls.add("fchdir " + pathOf(fd));
    }

    @Override
    public void chroot(String path) {
        calls.add("chroot " + path);
    }

    @Override
    public String getcwd() {
        return "/";
    }

    @Override
    public void sethostname(String name) {
        calls.add("sethostname " + name);
    }

    @Override
    public void setdomainname(String name) {
        calls.add("setdomainname " + name);
    }

    @Override
    public int umask(int mask) {
        calls.add("umask " + Integer.toOctalString(mask));
        return 022;
    }

    @Override
    public void setsid() {
        calls.add("setsid");
    }

    /** Descriptors that are terminals, for {@link #isatty}. */
    public final Set<Integer> terminals = new HashSet<>();

    @Override
    public boolean isatty(int fd) {
        return terminals.contains(fd);
    }

    @Override
    public byte[] tcgetattr(int fd) {
        calls.add("tcgetattr " + fd);
        return new byte[128];
    }

    @Override
    public void tcsetattr(int fd, byte[] termios) {
        calls.add("tcsetattr " + fd + (termios[0] == 'r' ? " raw" : ""));
    }

    @Override
    public byte[] cfmakeraw(byte[] termios) {
        byte[] raw = termios.clone();
        raw[0] = 'r';
        return raw;
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        calls.add("ioctl 0x" + Long.toHexString(request));
        return 0;
    }

    @Override
    public void ioctlBuffer(int fd, long request, byte[] buf) {
        calls.add("ioctl 0x" + Long.toHexString(request));
    }

    @Override
    public void unshare(int flags) {
        calls.add("unshare 0x" + Integer.toHexString(flags));
    }

    @Override
    public void setns(int fd, int nstype) {
        calls.add("setns " + pathOf(fd));
    }

    @Override
    public void setrlimit(int resource, long soft, long hard) {
        calls.add("setrlimit " + resource + " " + soft + " " + hard);
    }

    @Override
    public void prlimit(int pid, int resource, long soft, long hard) {
        calls.add("prlimit " + pid + " " + resource + " " + soft + " " + hard);
    }

    /** What {@link #getrlimit} answers: {soft, hard} per resource, unlimited when not set. */
    public final Map<Integer, long[]> rlimits = new HashMap<>();

    @Override
    public long[] getrlimit(int resource) {
        calls.add("getrlimit " + resource);
        return rlimits.getOrDefault(resource, new long[] {-1L, -1L});
    }

    @Override
    public void personality(long persona) {
        calls.add("personality " + persona);
    }

    @Override
    public void prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        calls.add("prctl " + option + " " + arg2 + (arg3 != 0 ? " " + arg3 : ""));
    }

    @Override
    public void ioprioSet(int which, int who, int ioprio) {
        calls.add("ioprio_set " + ioprio);
    }

    @Override
    public void schedSetattr(int pid, SchedAttr attr) {
        calls.add("sched_setattr " + attr.policy());
    }

    @Override
    public int pidfdOpen(int pid) {
        maybeFail("pidfd_open " + pid);
        calls.add("pidfd_open " + pid);
        return newFd("pidfd:" + pid);
    }

    @Override
    public void schedSetaffinity(int pid, long[] cpus) {
        String call = "sched_setaffinity " + pid + " " + BitmaskList.format(cpus);
        maybeFail(call);
        calls.add(call);
    }

    @Override
    public void setMempolicy(int mode, long[] nodes) {
        String call = "set_mempolicy " + mode + " " + BitmaskList.format(nodes);
        maybeFail(call);
        calls.add(call);
    }

    @Override
    public void setgroups(long[] gids) {
        calls.add("setgroups " + Arrays.toString(gids));
    }

    @Override
    public void setresgid(long rgid, long egid, long sgid) {
        calls.add("setresgid " + egid);
    }

    @Override
    public void setresuid(long ruid, long euid, long suid) {
        calls.add("setresuid " + euid);
    }

    @Override
    public void capset(long effective, long permitted, long inheritable) {
        calls.add("capset eff=0x" + Long.toHexString(effective) + " prm=0x" + Long.toHexString(permitted) + " inh=0x"
                + Long.toHexString(inheritable));
    }

    @Override
    public CapSets capget() {
        return new CapSets(-1L, -1L, 0);
    }

    @Override
    public int seccompSetFilter(int flags, byte[] program) {
        calls.add("seccomp " + flags + " " + program.length);
        return 0;
    }

    @Override
    public void dup3(int oldfd, int newfd, int flags) {
        calls.add("dup3 " + oldfd + " " + newfd);
    }

    @Override
    public int fcntl(int fd, int cmd, long arg) {
        calls.add("fcntl " + fd + " " + cmd + " " + arg);
        return 0;
    }

    @Override
    public void closeRange(int first, int last, int flags) {
        calls.add("close_range " + first + " " + flags);
    }

    @Override
    public int[] pipe2(int flags) {
        maybeFail("pipe2");
        return new int[] {newFd("pipe:r"), newFd("pipe:w")};
    }

    @Override
    public int[] socketpair(int domain, int type) {
        maybeFail("socketpair");
        return new int[] {newFd("socket:a"), newFd("socket:b")};
    }

    @Override
    public int netlinkSocket(int protocol) {
        String call = "netlink " + protocol;
        maybeFail(call);
        calls.add(call);
        return newFd("netlink:" + protocol);
    }

    @Override
    public int connectUnix(String path, int type) {
        maybeFail("connect " + path);
        return newFd("socket:" + path);
    }

    @Override
    public int listenUnix(String path, int type) {
        return newFd("listen:" + path);
    }

    @Override
    public int accept(int listeningFd) {
        return newFd("accepted");
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        Deque<Byte> q = inputs.get(pathOf(fd));
        int n = 0;
        while (q != null && n < len && !q.isEmpty()) {
            buf[off + n++] = q.poll();
        }
        return n;
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) {
        calls.add("write " + pathOf(fd) + " " + new String(buf, off, len, StandardCharsets.UTF_8));
        outputs.computeIfAbsent(pathOf(fd), k -> new ByteArrayOutputStream()).write(buf, off, len);
        return len;
    }

    @Override
    public void sendFds(int socket, byte[] payload, int... fds) {
        calls.add("sendmsg " + pathOf(socket) + " " + new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    public int[] recvFds(int socket, byte[] payload, int[] lenOut, int maxFds) {
        return new int[0];
    }

    @Override
    public int getpid() {
        return 1;
    }

    @Override
    public int gettid() {
        return 1;
    }

    @Override
    public void kill(int pid, int sig) {
        calls.add("kill " + pid + " " + sig);
        maybeFail("kill " + pid);
    }

    @Override
    public int[] waitpid(int pid, int options) {
        calls.add("waitpid " + pid);
        maybeFail("waitpid " + pid);
        return new int[] {pid, 0};
    }

    @Override
    public int[] peekExit(int pid) {
        return null;
    }

    @Override
    public PreparedSibling prepareSibling(PreparedExec image, boolean controllingTerminal, int errnoFd, int goFd) {
        calls.add("prepare sibling " + (controllingTerminal ? "tty " : "") + pathOf(errnoFd)
                + (goFd >= 0 ? " after " + pathOf(goFd) : ""));
        return PreparedSibling.recorded(image);
    }

    /** The pid {@link #startSibling} answers. */
    public int siblingPid = 4242;

    @Override
    public int startSibling(PreparedSibling sibling) {
        calls.add("clone sibling execve " + sibling.image().path() + " "
                + String.join(" ", sibling.image().argv()));
        return siblingPid;
    }

    /** The pid {@link #startIdleInNewUserNamespace} answers. */
    public int idlePid = 4343;

    @Override
    public int startIdleInNewUserNamespace(int holdFd) {
        String call = "clone newuser idle on " + pathOf(holdFd);
        maybeFail(call);
        calls.add(call);
        return idlePid;
    }

    @Override
    public PreparedExec prepareExec(String path, String[] argv, String[] envp) {
        return PreparedExec.recorded(path, argv);
    }

    @Override
    public void execve(PreparedExec exec) {
        calls.add("execve " + exec.path() + " " + String.join(" ", exec.argv()));
    }
}
