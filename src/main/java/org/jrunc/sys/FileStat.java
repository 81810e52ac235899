package org.jrunc.sys;

/** The fields of statx(2) that jrunc uses. */
public record FileStat(
        int mode, long uid, long gid, long ino, long size, int rdevMajor, int rdevMinor, int devMajor, int devMinor) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFSOCK = 0140000;

    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegular() {
        return type() == S_IFREG;
    }
}
