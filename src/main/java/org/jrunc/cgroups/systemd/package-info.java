/**
 * The systemd cgroup driver ({@code --systemd-cgroup}): a container's cgroup is a transient scope that systemd makes
 * over D-Bus with the resources as unit properties, as runc's systemd managers do; jrunc's cgroupfs writers then apply
 * the rest to the scope's directories. One concern per class: the unit's name and place ({@link SystemdUnit}), the
 * resources as properties ({@link ResourceProperties}, {@link DeviceProperties}), the bus ({@link SystemdBus}, with
 * dbus-java in {@link DbusSystemdBus}), and the {@link org.jrunc.cgroups.CgroupManager} ({@link
 * SystemdCgroupManager}, made by {@link SystemdCgroupManagers}). It sits above {@code cgroups.manager}, whose cgroupfs
 * manager does the file work; dbus-java is loaded only by {@link DbusSystemdBus}, so no command of a cgroupfs container
 * pays for it.
 */
package org.jrunc.cgroups.systemd;
