package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.jrunc.sys.Errno;

/**
 * The errno behind an IOException from a control-file write. java.io reports it only as strerror text ("Invalid
 * argument", or "path (Invalid argument)" for open), so the text is compared with libc's strerror for the few errnos
 * the writers react to; comparing with libc's own text keeps this right under any locale.
 */
public final class CgroupErrno {
    static final int ERANGE = 34;
    private static final int[] KNOWN = {
        Errno.EINVAL,
        Errno.EBUSY,
        Errno.ENOENT,
        Errno.EPERM,
        Errno.EACCES,
        Errno.ENOSPC,
        ERANGE,
        Errno.ENODEV,
        Errno.ENOTSUP,
        Errno.EROFS,
        Errno.EIO
    };

    private CgroupErrno() {}

    /** The errno, or 0 when the message matches none of the known ones. */
    public static int of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        String msg = e.getMessage();
        if (msg == null) {
            return 0;
        }
        for (int errno : KNOWN) {
            String text = Errno.strerror(errno);
            if (msg.equals(text) || msg.endsWith("(" + text + ")")) {
                return errno;
            }
        }
        return 0;
    }

    /** What to print: strerror text when the errno is known, else the exception's own message. */
    public static String reason(IOException e) {
        int errno = of(e);
        return errno != 0 ? Errno.describe(errno) : String.valueOf(e.getMessage());
    }
}
