package org.jrunc.attach;

import static org.jrunc.sys.Flags.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jrunc.JruncException;
import org.jrunc.sys.Syscalls;

/**
 * The monitor's socket, {@code <root>/<id>/attach}: SOCK_SEQPACKET, mode 0600. A socket address holds at most 107
 * bytes, and --root plus a 1024-character ID can be longer, so a long path is reached through
 * /proc/self/fd/N/attach with N a descriptor of the state directory.
 */
public final class AttachSocket {
    public static final String NAME = "attach";
    private static final int MAX_ADDRESS = 107;

    private AttachSocket() {}

    /** Binds and listens (the kernel queues clients until the monitor accepts them). */
    public static int listen(Syscalls sys, Path stateDir) {
        return viaShortPath(sys, stateDir, path -> {
            int fd = sys.listenUnix(path, SOCK_SEQPACKET);
            try {
                Files.setPosixFilePermissions(Path.of(path), PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                sys.close(fd);
                throw new JruncException(
                        "cannot restrict " + stateDir.resolve(NAME) + " to its owner: " + e.getMessage());
            }
            return fd;
        });
    }

    public static int connect(Syscalls sys, Path stateDir) {
        return viaShortPath(sys, stateDir, path -> sys.connectUnix(path, SOCK_SEQPACKET));
    }

    private interface SocketCall {
        int apply(String path);
    }

    private static int viaShortPath(Syscalls sys, Path stateDir, SocketCall call) {
        String direct = stateDir.resolve(NAME).toString();
        if (direct.getBytes(StandardCharsets.UTF_8).length <= MAX_ADDRESS) {
            return call.apply(direct);
        }
        int dir = sys.open(stateDir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        try {
            return call.apply("/proc/self/fd/" + dir + "/" + NAME);
        } finally {
            sys.close(dir);
        }
    }
}
