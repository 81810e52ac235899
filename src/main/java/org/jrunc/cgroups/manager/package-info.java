/**
 * The cgroup manager: {@link org.jrunc.cgroups.CgroupManager} on cgroupfs for any layout (v1, v2, or hybrid: v1
 * controllers next to a cgroup2 mount), choosing per controller and per operation between {@code v1} and {@code v2},
 * plus the factory the CLI wires into the container operations. It sits above both version packages because it is
 * the only place that needs both; they and the common package never import it, which keeps the packages free of
 * circles (the interface lives below, in {@code org.jrunc.cgroups}, so operations depend on the interface only).
 */
package org.jrunc.cgroups.manager;
