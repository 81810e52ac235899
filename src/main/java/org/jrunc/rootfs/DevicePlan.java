package org.jrunc.rootfs;

import org.jrunc.sys.FileStat;


/** A device node to create in the container's /dev (linux.devices plus the defaults the spec requires). */
public record DevicePlan(String path, char type, long major, long minor, int fileMode, long uid, long gid) {

    /** The S_IF* file type bits for mknod. */
    public int typeBits() {
        switch (type) {
            case 'c':
            case 'u':
                return FileStat.S_IFCHR;
            case 'b':
                return FileStat.S_IFBLK;
            case 'p':
                return FileStat.S_IFIFO;
            default:
                throw new IllegalStateException("device type " + type);
        }
    }

    /** The kernel's makedev(): glibc's encoding of major and minor into a dev_t. */
    public long dev() {
        return makedev(major, minor);
    }

    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
