/**
 * What only cgroup v1 has: linux.resources on the v1 interface files (memory+swap ordering, cfs and rt periods,
 * blkio, net_cls and net_prio, devices.allow/deny written as transitions from devices.list) and the freezer
 * controller's freezer.state. Built on the common {@code org.jrunc.cgroups} package only; it knows nothing of v2 or of
 * which host it runs on ({@code manager} decides when v1 applies).
 */
package org.jrunc.cgroups.v1;
