/**
 * Cgroups, what cgroup v1 and v2 have in common: the host's hierarchies ({@link org.jrunc.cgroups.CgroupLayout}),
 * a container's directories and their creation and removal ({@link org.jrunc.cgroups.ContainerCgroup}), which
 * hierarchy carries which controller, the control-file seam ({@link org.jrunc.cgroups.CgroupFiles}), validation of
 * linux.resources, the device-rule model both drivers share, statistics and OOM counts (each reads v1 or v2 files by
 * where the controller is), the features report, and the {@link org.jrunc.cgroups.CgroupManager} interface the
 * container operations use. It is the bottom layer: {@code v1} and {@code v2} build on it, {@code manager} combines
 * them, and nothing here imports any of those, so the cgroup packages form no circle.
 */
package org.jrunc.cgroups;
