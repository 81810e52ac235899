package org.jrunc.sys;

/** mount(2) MS_* flags, umount2(2) flags and mount_setattr(2) attributes. */
public final class MountFlags {
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_SYNCHRONOUS = 16;
    public static final long MS_REMOUNT = 32;
    public static final long MS_MANDLOCK = 64;
    public static final long MS_DIRSYNC = 128;
    public static final long MS_NOSYMFOLLOW = 256;
    public static final long MS_NOATIME = 1024;
    public static final long MS_NODIRATIME = 2048;
    public static final long MS_BIND = 4096;
    public static final long MS_MOVE = 8192;
    public static final long MS_REC = 16384;
    public static final long MS_SILENT = 32768;
    public static final long MS_UNBINDABLE = 1 << 17;
    public static final long MS_PRIVATE = 1 << 18;
    public static final long MS_SLAVE = 1 << 19;
    public static final long MS_SHARED = 1 << 20;
    public static final long MS_RELATIME = 1 << 21;
    public static final long MS_I_VERSION = 1 << 23;
    public static final long MS_STRICTATIME = 1 << 24;
    public static final long MS_LAZYTIME = 1 << 25;

    public static final long PROPAGATION_FLAGS = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;

    public static final int MNT_FORCE = 1;
    public static final int MNT_DETACH = 2;
    public static final int UMOUNT_NOFOLLOW = 8;

    public static final long MOUNT_ATTR_RDONLY = 0x1;
    public static final long MOUNT_ATTR_NOSUID = 0x2;
    public static final long MOUNT_ATTR_NODEV = 0x4;
    public static final long MOUNT_ATTR_NOEXEC = 0x8;
    public static final long MOUNT_ATTR__ATIME = 0x70;
    public static final long MOUNT_ATTR_RELATIME = 0x0;
    public static final long MOUNT_ATTR_NOATIME = 0x10;
    public static final long MOUNT_ATTR_STRICTATIME = 0x20;
    public static final long MOUNT_ATTR_NODIRATIME = 0x80;
    public static final long MOUNT_ATTR_IDMAP = 0x100000;
    public static final long MOUNT_ATTR_NOSYMFOLLOW = 0x200000;

    public static final int OPEN_TREE_CLONE = 1;
    public static final int OPEN_TREE_CLOEXEC = Flags.O_CLOEXEC;
    public static final int MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    public static final int MOVE_MOUNT_T_EMPTY_PATH = 0x40;

    /** statfs(2) f_flags bits. */
    public static final long ST_RDONLY = 1;

    public static final long ST_NOSUID = 2;
    public static final long ST_NODEV = 4;
    public static final long ST_NOEXEC = 8;
    public static final long ST_NOATIME = 1024;
    public static final long ST_NODIRATIME = 2048;
    public static final long ST_RELATIME = 4096;
    public static final long ST_NOSYMFOLLOW = 0x2000;

    private MountFlags() {}

    /** The MS_* flags that a filesystem currently has, from statfs f_flags (the kernel's calculate_f_flags). */
    public static long fromStatfs(long st) {
        long ms = 0;
        if ((st & ST_RDONLY) != 0) {
            ms |= MS_RDONLY;
        }
        if ((st & ST_NOSUID) != 0) {
            ms |= MS_NOSUID;
        }
        if ((st & ST_NODEV) != 0) {
            ms |= MS_NODEV;
        }
        if ((st & ST_NOEXEC) != 0) {
            ms |= MS_NOEXEC;
        }
        if ((st & ST_NOATIME) != 0) {
            ms |= MS_NOATIME;
        }
        if ((st & ST_NODIRATIME) != 0) {
            ms |= MS_NODIRATIME;
        }
        if ((st & ST_RELATIME) != 0) {
            ms |= MS_RELATIME;
        }
        if ((st & ST_NOSYMFOLLOW) != 0) {
            ms |= MS_NOSYMFOLLOW;
        }
        return ms;
    }
}
