package org.jrunc.image.squash;

/**
 * What one squash wrote.
 *
 * @param entries tar entries written (directories, files, links, special files)
 * @param contentBytes bytes of regular file content written
 */
public record SquashSummary(long entries, long contentBytes) {}
