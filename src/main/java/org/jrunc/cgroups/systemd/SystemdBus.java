package org.jrunc.cgroups.systemd;

import java.util.List;

/**
 * The calls of systemd's manager (org.freedesktop.systemd1.Manager) the driver makes, each waiting for the job it
 * queues, as runc's driver waits: a call returns when systemd is done, and a job that ends other than "done" is a
 * {@link org.jrunc.JruncException} naming the unit and the result. Tests substitute a recording fake.
 */
public interface SystemdBus extends AutoCloseable {
    /** Connects to systemd: the system bus for root. */
    interface Opener {
        SystemdBus open();
    }

    /** StartTransientUnit(unit, "replace", properties, []): the unit exists, with its processes, on return. */
    void startTransientUnit(String unit, List<UnitProperty> properties);

    /** SetUnitProperties(unit, runtime = true, properties). */
    void setUnitProperties(String unit, List<UnitProperty> properties);

    /**
     * StopUnit(unit, "replace"). A unit systemd no longer has (a scope whose processes all exited stops by itself) is
     * an error too: dbus-java names no remote error class outside org.freedesktop, so the caller decides by the
     * unit's directories.
     */
    void stopUnit(String unit);

    /** ResetFailedUnit(unit), so that a failed unit does not stay listed; nothing when it is not loaded or failed. */
    void resetFailedUnit(String unit);

    @Override
    void close();
}
