package org.jrunc.sys;

/** The statfs(2) fields jrunc uses: the filesystem magic and the ST_* mount flags. */
public record StatFs(long type, long flags) {
    public static final long PROC_SUPER_MAGIC = 0x9fa0;
    public static final long SYSFS_MAGIC = 0x62656572;
    public static final long TMPFS_MAGIC = 0x01021994;
    public static final long CGROUP_SUPER_MAGIC = 0x27e0eb;
    public static final long CGROUP2_SUPER_MAGIC = 0x63677270;
    public static final long OVERLAYFS_SUPER_MAGIC = 0x794c7630;
}
