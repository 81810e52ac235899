package org.jrunc.seccomp.libseccomp;

import org.jrunc.JruncException;
import org.jrunc.sys.Errno;

/** A libseccomp call that failed; {@link #errno()} is the errno it returned negated, or 0 when it gave none. */
public final class LibSeccompException extends JruncException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    LibSeccompException(String message) {
        super(message);
        this.errno = 0;
    }

    LibSeccompException(String call, String detail, int errno) {
        super("libseccomp " + call + (detail.isEmpty() ? "" : " " + detail) + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** libseccomp's convention: 0 or more is success, -errno is failure. */
    static int check(int ret, String call, String detail) {
        if (ret < 0) {
            throw new LibSeccompException(call, detail, -ret);
        }
        return ret;
    }
}
