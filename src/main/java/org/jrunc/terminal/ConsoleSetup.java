package org.jrunc.terminal;

import static org.jrunc.sys.Flags.*;
import static org.jrunc.sys.MountFlags.*;

import org.jrunc.JruncException;
import org.jrunc.rootfs.RootPaths;
import org.jrunc.sys.Errno;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * process.terminal: allocates a pty from the container's own devpts instance, bind-mounts its peer over /dev/console,
 * and sends the master to --console-socket the way runc does (the pty name as the message, the fd by SCM_RIGHTS).
 * Returns the peer, which becomes the container process's stdin, stdout and stderr.
 */
public final class ConsoleSetup {
    private final Syscalls sys;
    private final RootPaths root;

    public ConsoleSetup(Syscalls sys, RootPaths root) {
        this.sys = sys;
        this.root = root;
    }

    public int setup(int consoleSocket, int rows, int cols) {
        int master;
        try {
            master = sys.openat2(
                    root.rootFd(), "dev/pts/ptmx", O_RDWR | O_NOCTTY, 0, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
        } catch (SyscallException e) {
            throw new JruncException("process.terminal needs a devpts mount at /dev/pts: " + e.getMessage());
        }
        Pty pty = Pty.openAndSend(sys, master, consoleSocket, rows, cols);
        bindConsole(pty.peer());
        return pty.peer();
    }

    /** /dev/console must be a plain file we create; a symlink there must never be followed (CVE-2025-52565). */
    private void bindConsole(int peer) {
        int dev = root.mkdirAll("/dev", 0755);
        try {
            try {
                sys.unlinkat(dev, "console", 0);
            } catch (SyscallException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
            }
            int created = sys.openat2(dev, "console", O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644, RESOLVE_IN_ROOT);
            sys.close(created);
            int console = sys.openat2(dev, "console", O_PATH | O_NOFOLLOW, 0, RESOLVE_IN_ROOT);
            try {
                if (sys.fstat(console).type() != FileStat.S_IFREG) {
                    throw new JruncException("/dev/console was replaced while it was being set up");
                }
                sys.mount(RootPaths.procFd(peer), RootPaths.procFd(console), "", MS_BIND, "");
            } finally {
                sys.close(console);
            }
        } finally {
            sys.close(dev);
        }
    }
}
