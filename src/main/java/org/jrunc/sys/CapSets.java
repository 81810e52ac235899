package org.jrunc.sys;

/** The three capset(2) sets of a thread, as 64-bit masks. */
public record CapSets(long effective, long permitted, long inheritable) {
}
