package org.jrunc.sys;

/** What a bound loop device reads from, as /sys/block/loopN/loop shows it. */
public record LoopBinding(int number, String backingFile, long offset, long sizeLimit, boolean autoclear) {}
