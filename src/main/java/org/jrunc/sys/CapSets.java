package org.jrunc.sys;

/** The three capset(2) sets of a thread, as 64-bit masks. */
public record CapSets(long effective, long permitted, long inheritable) {
    /** CAP_SYS_ADMIN (21) as a bit of these masks. */
    public static final long CAP_SYS_ADMIN = 1L << 21;
}
