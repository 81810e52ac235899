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
        return ((major & 0xfffff000L) << 32)
                | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }

    /** A DevicePlan built one named field at a time; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets the fields of a DevicePlan by name, so that call sites say which number is the major, the minor, the mode
     * and the owner. A field not set stays null, 0 or '\0'. A plain class (no lambdas, no record methods): cheap on the
     * create and init paths.
     */
    public static final class Builder {
        private String path;
        private char type;
        private long major;
        private long minor;
        private int fileMode;
        private long uid;
        private long gid;

        private Builder() {}

        public Builder path(String v) {
            path = v;
            return this;
        }

        public Builder type(char v) {
            type = v;
            return this;
        }

        public Builder major(long v) {
            major = v;
            return this;
        }

        public Builder minor(long v) {
            minor = v;
            return this;
        }

        public Builder fileMode(int v) {
            fileMode = v;
            return this;
        }

        public Builder uid(long v) {
            uid = v;
            return this;
        }

        public Builder gid(long v) {
            gid = v;
            return this;
        }

        public DevicePlan build() {
            return new DevicePlan(path, type, major, minor, fileMode, uid, gid);
        }
    }
}
