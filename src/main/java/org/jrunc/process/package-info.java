/**
 * Starting processes inside namespaces without running Java in a forked copy of the JVM: a per-thread unshare/setns
 * and posix_spawn ({@link org.jrunc.process.InitSpawner}), or a clone with a watchdog for a user namespace ({@link
 * org.jrunc.process.WatchdogClone}), passing only the descriptors asked for; the stages' command line; and signals.
 */
package org.jrunc.process;
