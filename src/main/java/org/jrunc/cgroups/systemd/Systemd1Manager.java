package org.jrunc.cgroups.systemd;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The part of systemd's org.freedesktop.systemd1.Manager D-Bus interface {@link DbusSystemdBus} calls, in dbus-java's
 * terms (method names are the D-Bus member names). See systemd's org.freedesktop.systemd1(5).
 */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
public interface Systemd1Manager extends DBusInterface {
    String BUS_NAME = "org.freedesktop.systemd1";
    String OBJECT_PATH = "/org/freedesktop/systemd1";

    /** A unit property on the wire: (sv). */
    final class Property extends Struct {
        @Position(0)
        public final String name;

        @Position(1)
        public final Variant<?> value;

        public Property(String name, Variant<?> value) {
            this.name = name;
            this.value = value;
        }
    }

    /** An auxiliary unit of StartTransientUnit: (sa(sv)); the driver passes none. */
    final class AuxUnit extends Struct {
        @Position(0)
        public final String name;

        @Position(1)
        public final List<Property> properties;

        public AuxUnit(String name, List<Property> properties) {
            this.name = name;
            this.properties = properties;
        }
    }

    /** A DeviceAllow entry on the wire: (ss). */
    final class DeviceAllowEntry extends Struct {
        @Position(0)
        public final String path;

        @Position(1)
        public final String access;

        public DeviceAllowEntry(String path, String access) {
            this.path = path;
            this.access = access;
        }
    }

    /** Sent when a job finishes; {@code result} is "done", or "failed", "timeout", "canceled", "dependency"... */
    final class JobRemoved extends DBusSignal {
        public final UInt32 id;
        public final DBusPath job;
        public final String unit;
        public final String result;

        public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
            super(path, id, job, unit, result);
            this.id = id;
            this.job = job;
            this.unit = unit;
            this.result = result;
        }
    }

    /** Asks systemd to send its signals (JobRemoved among them) to this client. */
    void Subscribe();

    DBusPath StartTransientUnit(String name, String mode, List<Property> properties, List<AuxUnit> aux);

    void SetUnitProperties(String name, boolean runtime, List<Property> properties);

    DBusPath StopUnit(String name, String mode);

    void ResetFailedUnit(String name);
}
