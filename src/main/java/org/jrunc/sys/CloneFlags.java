package org.jrunc.sys;

/** clone(2), unshare(2) and setns(2) namespace flags. */
public final class CloneFlags {
    public static final int CSIGNAL = 0xff;
    public static final int CLONE_VM = 0x100;
    public static final int CLONE_FS = 0x200;
    public static final int CLONE_FILES = 0x400;
    public static final int CLONE_VFORK = 0x4000;
    public static final int CLONE_PARENT = 0x8000;
    public static final int CLONE_NEWTIME = 0x80;
    public static final int CLONE_NEWNS = 0x20000;
    public static final int CLONE_NEWCGROUP = 0x02000000;
    public static final int CLONE_NEWUTS = 0x04000000;
    public static final int CLONE_NEWIPC = 0x08000000;
    public static final int CLONE_NEWUSER = 0x10000000;
    public static final int CLONE_NEWPID = 0x20000000;
    public static final int CLONE_NEWNET = 0x40000000;

    private CloneFlags() {}
}
