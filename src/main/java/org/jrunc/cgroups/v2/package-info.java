/**
 * What only cgroup v2 has: linux.resources converted to the unified interface files (with runc's conversions), the
 * eBPF device program that replaces the devices controller, enabling controllers through cgroup.subtree_control,
 * cgroup.freeze with cgroup.events, and cgroup.kill. Built on the common {@code org.jrunc.cgroups} package only, never
 * on v1; {@code manager} decides when v2 applies (everything on a pure v2 host, some controllers on a hybrid one).
 */
package org.jrunc.cgroups.v2;
