package org.jrunc.sys;

/** open(2), *at(2) and openat2(2) flags; those of fcntl(2), socket(2), waitpid(2) and ioprio_set(2) too. */
public final class Flags {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_RECURSIVE = 0x8000;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    /** An unnamed file in a directory, which linkat can name later: nothing is visible until it is complete. */
    public static final int O_TMPFILE = 020000000 | 0200000;

    public static final long RESOLVE_NO_XDEV = 0x01;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    public static final long RESOLVE_BENEATH = 0x08;
    public static final long RESOLVE_IN_ROOT = 0x10;

    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;
    public static final int F_DUPFD_CLOEXEC = 1030;

    public static final int CLOSE_RANGE_CLOEXEC = 1 << 2;

    public static final int AF_UNIX = 1;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int NETLINK_ROUTE = 0;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;

    public static final int WNOHANG = 1;
    public static final int WALL = 0x40000000;

    /** ioprio_set(2): the target is one process (or thread); the class sits above the level in the priority. */
    public static final int IOPRIO_WHO_PROCESS = 1;

    public static final int IOPRIO_CLASS_SHIFT = 13;

    private Flags() {}
}
