package org.jrunc.sys;

/** prctl(2) options and related constants. */
public final class Prctl {
    public static final int PR_SET_PDEATHSIG = 1;
    public static final int PR_SET_KEEPCAPS = 8;
    public static final int PR_SET_NAME = 15;
    public static final int PR_CAPBSET_READ = 23;
    public static final int PR_CAPBSET_DROP = 24;
    public static final int PR_SET_SECUREBITS = 28;
    public static final int PR_SET_CHILD_SUBREAPER = 36;
    public static final int PR_SET_NO_NEW_PRIVS = 38;
    public static final int PR_GET_NO_NEW_PRIVS = 39;
    public static final int PR_CAP_AMBIENT = 47;
    public static final int PR_CAP_AMBIENT_RAISE = 2;
    public static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    private Prctl() {}
}
