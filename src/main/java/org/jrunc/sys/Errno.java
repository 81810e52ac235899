package org.jrunc.sys;

/** errno values jrunc reacts to, and their text. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EPIPE = 32;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int EILSEQ = 84;
    public static final int ENOTSUP = 95;
    public static final int ECONNREFUSED = 111;

    private Errno() {}

    /**
     * How runc words an errno in its messages: Go's text, which is libc's strerror with a lower-case first letter
     * ("operation not permitted"). podman matches these words to pick its exit status (126 for permission errors,
     * 127 for a missing executable), so the wording is part of the interface.
     */
    public static String describe(int errno) {
        String s = strerror(errno);
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** libc's strerror text; the number when libc is not loaded (unit tests) or does not know it. */
    public static String strerror(int errno) {
        try {
            String s = LibC.strerror(errno);
            return s == null ? "errno " + errno : s;
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
