package org.jrunc.sys;

/** struct sched_attr for sched_setattr(2). */
public record SchedAttr(int policy, long flags, int nice, int priority, long runtime, long deadline, long period) {}
