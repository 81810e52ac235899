package org.jrunc.sys;

import org.jrunc.JruncException;

/** A failed system call: the call's name, what it acted on, and the errno text. */
public final class SyscallException extends JruncException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public SyscallException(String call, String detail, int errno) {
        super(call + (detail == null || detail.isEmpty() ? "" : " " + detail) + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
