package org.jrunc.rootfs;

import static org.jrunc.sys.Flags.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * Resolves and creates paths inside the container root without ever leaving it: every lookup is an openat2 with
 * RESOLVE_IN_ROOT, so a symlink in the rootfs (even "../../etc" or "/etc") resolves inside the rootfs, and magic
 * links are refused. Mounts then target the resulting descriptor through /proc/self/fd/N (the CVE-2019-19921 /
 * CVE-2021-30465 class of symlink-exchange attacks).
 */
public final class RootPaths {
    private static final long RESOLVE = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    private final Syscalls sys;
    private final int rootFd;
    private final String rootPath;

    public RootPaths(Syscalls sys, int rootFd, String rootPath) {
        this.sys = sys;
        this.rootFd = rootFd;
        this.rootPath = rootPath;
    }

    public int rootFd() {
        return rootFd;
    }

    /** The magic-link path of an fd, for mount(2) targets and sources. */
    public static String procFd(int fd) {
        return "/proc/self/fd/" + fd;
    }

    static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    /** O_PATH descriptor of an existing path, or -1 when it does not exist. Symlinks are followed inside the root. */
    public int openIfExists(String path, int extraFlags) {
        try {
            return sys.openat2(rootFd, relative(path), O_PATH | extraFlags, 0, RESOLVE);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT) {
                return -1;
            }
            throw e;
        }
    }

    /** The path without following a final symlink: returns -1 if missing; the caller checks the type. */
    public int openNoFollow(String path) {
        return openIfExists(path, O_NOFOLLOW);
    }

    private static String relative(String path) {
        String rel = String.join("/", components(path));
        return rel.isEmpty() ? "." : rel;
    }

    /**
     * mkdir -p inside the root; returns an O_PATH descriptor of the final directory. The walk is done here one
     * component at a time so that a dangling symlink (say /escape -> /tmp/outside) is followed the way
     * RESOLVE_IN_ROOT would follow it: its target is created inside the rootfs, never outside.
     */
    public int mkdirAll(String path, int mode) {
        // filled by a loop: ArrayDeque's copy constructor goes through a lambda, spun anew in every init
        Deque<String> todo = new ArrayDeque<>();
        for (String component : components(path)) {
            todo.addLast(component);
        }
        List<String> walked = new ArrayList<>();
        int dir = reopenWalked(walked);
        int links = 0;
        try {
            while (!todo.isEmpty()) {
                String part = todo.removeFirst();
                if (part.equals("..")) {
                    if (!walked.isEmpty()) {
                        walked.remove(walked.size() - 1);
                    }
                    sys.close(dir);
                    dir = reopenWalked(walked);
                    continue;
                }
                int entry = entry(dir, part);
                if (entry < 0) {
                    createDir(dir, part, mode);
                    entry = entry(dir, part);
                    if (entry < 0) {
                        throw new JruncException("mkdir " + path + ": " + part + " vanished while being created");
                    }
                }
                FileStat st = sys.fstat(entry);
                if (st.type() == FileStat.S_IFLNK) {
                    String target = sys.readlinkat(entry, "");
                    sys.close(entry);
                    if (++links > 40) {
                        throw new SyscallException("mkdir", path, Errno.ELOOP);
                    }
                    List<String> targetParts = components(target);
                    for (int i = targetParts.size() - 1; i >= 0; i--) {
                        todo.addFirst(targetParts.get(i));
                    }
                    if (target.startsWith("/")) {
                        walked.clear();
                        sys.close(dir);
                        dir = reopenWalked(walked);
                    }
                    continue;
                }
                if (!st.isDirectory()) {
                    sys.close(entry);
                    throw new SyscallException("mkdir", path, Errno.ENOTDIR);
                }
                sys.close(dir);
                dir = entry;
                walked.add(part);
            }
            return dir;
        } catch (RuntimeException e) {
            sys.close(dir);
            throw e;
        }
    }

    private int reopenWalked(List<String> walked) {
        String rel = walked.isEmpty() ? "." : String.join("/", walked);
        return sys.openat2(rootFd, rel, O_PATH | O_DIRECTORY, 0, RESOLVE);
    }

    /** The entry itself (a symlink is not followed), or -1 when there is none. */
    private int entry(int dir, String name) {
        try {
            return sys.openat2(dir, name, O_PATH | O_NOFOLLOW, 0, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT) {
                return -1;
            }
            throw e;
        }
    }

    /** A symlink {@code name} -> {@code target} in {@code dir}; whatever already has that name is left as it is. */
    void symlinkIfAbsent(int dir, String name, String target) {
        try {
            sys.symlinkat(target, dir, name);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
    }

    private void createDir(int dir, String name, int mode) {
        try {
            sys.mkdirat(dir, name, mode);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
    }

    /**
     * An existing file or directory at {@code path}, or a new one: an empty regular file when {@code asFile},
     * else a directory. Returns an O_PATH descriptor.
     */
    public int openOrCreate(String path, boolean asFile) {
        int fd = openIfExists(path, 0);
        if (fd >= 0) {
            return fd;
        }
        if (!asFile) {
            return mkdirAll(path, 0755);
        }
        return createFile(path, 0);
    }

    /**
     * An empty file at {@code path}. When its name is a dangling symlink (an image's /etc/resolv.conf ->
     * /run/systemd/resolve/stub-resolv.conf, say), the file is created where the link points, resolved inside the root
     * as RESOLVE_IN_ROOT resolves it, as runc does; {@code links} counts the links followed so far.
     */
    private int createFile(String path, int links) {
        String parent = parentOf(path);
        String name = nameOf(path);
        int dir = mkdirAll(parent, 0755);
        try {
            int existing = entry(dir, name);
            if (existing >= 0) {
                if (sys.fstat(existing).type() != FileStat.S_IFLNK) {
                    return existing;
                }
                String target = sys.readlinkat(existing, "");
                sys.close(existing);
                if (links >= 40) {
                    throw new SyscallException("open", path, Errno.ELOOP);
                }
                return createFile(target.startsWith("/") ? target : parent + "/" + target, links + 1);
            }
            int created = sys.openat2(dir, name, O_RDONLY | O_CREAT | O_NOFOLLOW, 0644, RESOLVE);
            sys.close(created);
            return sys.openat2(dir, name, O_PATH | O_NOFOLLOW, 0, RESOLVE);
        } finally {
            sys.close(dir);
        }
    }

    static String parentOf(String path) {
        List<String> parts = components(path);
        if (parts.isEmpty()) {
            throw new JruncException("path " + path + " has no parent");
        }
        return "/" + String.join("/", parts.subList(0, parts.size() - 1));
    }

    static String nameOf(String path) {
        List<String> parts = components(path);
        if (parts.isEmpty()) {
            throw new JruncException("path " + path + " names the root");
        }
        return parts.get(parts.size() - 1);
    }

    /**
     * Checks where an fd really is: its /proc/self/fd link must lie under the rootfs, and must not be the rootfs
     * itself (a mount over the root would hide it).
     */
    public void requireInside(int fd, String what) {
        String real = sys.fdPath(fd);
        if (!(real.equals(rootPath) || real.startsWith(rootPath.endsWith("/") ? rootPath : rootPath + "/"))) {
            throw new JruncException(what + " resolves to " + real + ", outside the container rootfs " + rootPath);
        }
        if (real.equals(rootPath)) {
            throw new JruncException(what + " is the root of the container rootfs");
        }
    }

    public FileStat stat(int fd) {
        return sys.fstat(fd);
    }

    public String rootPath() {
        return rootPath;
    }
}
