package org.jrunc.cgroups.systemd;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusSigHandler;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.jrunc.JruncException;

/**
 * {@link SystemdBus} over the system bus with dbus-java and its JDK unix-socket transport: the one class that loads
 * dbus-java. Every JobRemoved signal is kept by job path from before the first call, since a job may finish before
 * its method call returns.
 */
final class DbusSystemdBus implements SystemdBus, DBusSigHandler<Systemd1Manager.JobRemoved> {

    /** How long a job may take: runc's driver waits 30 s for its unit too. */
    private static final long JOB_TIMEOUT_SECONDS = 30;

    private final DBusConnection connection;
    private final Systemd1Manager manager;
    private final AutoCloseable jobSignals;
    private final Map<String, CompletableFuture<String>> jobs = new ConcurrentHashMap<>();

    /** Connects to systemd on the system bus (DBUS_SYSTEM_BUS_ADDRESS, else /run/dbus/system_bus_socket). */
    static SystemdBus connect() {
        return new DbusSystemdBus();
    }

    private DbusSystemdBus() {
        DBusConnection c = null;
        try {
            c = DBusConnectionBuilder.forSystemBus().withShared(false).build();
            connection = c;
            manager = c.getRemoteObject(
                    Systemd1Manager.BUS_NAME, Systemd1Manager.OBJECT_PATH, Systemd1Manager.class, false);
            jobSignals = c.addSigHandler(Systemd1Manager.JobRemoved.class, this);
            manager.Subscribe();
        } catch (DBusException | DBusExecutionException e) {
            if (c != null) {
                c.disconnect();
            }
            throw new JruncException("--systemd-cgroup: cannot reach systemd on the system bus: " + reason(e));
        }
    }

    @Override
    public void handle(Systemd1Manager.JobRemoved signal) {
        job(signal.job.getPath()).complete(signal.result);
    }

    private CompletableFuture<String> job(String path) {
        return jobs.computeIfAbsent(path, p -> new CompletableFuture<>());
    }

    @Override
    public void startTransientUnit(String unit, List<UnitProperty> properties) {
        DBusPath job;
        try {
            job = manager.StartTransientUnit(unit, "replace", wire(properties), List.of());
        } catch (DBusExecutionException e) {
            throw new JruncException("systemd cannot start unit " + unit + ": " + reason(e));
        }
        awaitDone(job, "start", unit);
    }

    @Override
    public void setUnitProperties(String unit, List<UnitProperty> properties) {
        try {
            manager.SetUnitProperties(unit, true, wire(properties));
        } catch (DBusExecutionException e) {
            throw new JruncException("systemd cannot set the properties of unit " + unit + ": " + reason(e));
        }
    }

    @Override
    public void stopUnit(String unit) {
        DBusPath job;
        try {
            job = manager.StopUnit(unit, "replace");
        } catch (DBusExecutionException e) {
            throw new JruncException("systemd cannot stop unit " + unit + ": " + reason(e));
        }
        awaitDone(job, "stop", unit);
    }

    @Override
    public void resetFailedUnit(String unit) {
        try {
            manager.ResetFailedUnit(unit);
        } catch (DBusExecutionException e) {
            // not loaded, or not failed: nothing to reset
        }
    }

    private void awaitDone(DBusPath job, String what, String unit) {
        String result;
        try {
            result = job(job.getPath()).get(JOB_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new JruncException("systemd did not " + what + " unit " + unit + " within " + JOB_TIMEOUT_SECONDS
                    + " s (job " + job.getPath() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while systemd was to " + what + " unit " + unit);
        } catch (ExecutionException e) {
            throw new JruncException("systemd job for unit " + unit + ": " + reason(e.getCause()));
        } finally {
            jobs.remove(job.getPath());
        }
        if (!result.equals("done")) {
            throw new JruncException("systemd could not " + what + " unit " + unit + ": job " + result
                    + " (see journalctl -u " + unit + ")");
        }
    }

    /** The properties as dbus-java marshals (sv) structs. */
    static List<Systemd1Manager.Property> wire(List<UnitProperty> properties) {
        List<Systemd1Manager.Property> out = new ArrayList<>();
        for (UnitProperty p : properties) {
            out.add(new Systemd1Manager.Property(p.name(), variant(p)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Variant<?> variant(UnitProperty p) {
        Object v = p.value();
        switch (p.signature()) {
            case "s", "b", "ay", "as":
                return new Variant<>(v, p.signature());
            case "t":
                return new Variant<>(new UInt64(new BigInteger(Long.toUnsignedString((Long) v))), "t");
            case "au": {
                List<UInt32> pids = new ArrayList<>();
                for (Integer pid : (List<Integer>) v) {
                    pids.add(new UInt32(pid));
                }
                return new Variant<>(pids, "au");
            }
            case "a(ss)": {
                List<Systemd1Manager.DeviceAllowEntry> entries = new ArrayList<>();
                for (UnitProperty.DeviceAllow d : (List<UnitProperty.DeviceAllow>) v) {
                    entries.add(new Systemd1Manager.DeviceAllowEntry(d.path(), d.access()));
                }
                return new Variant<>(entries, "a(ss)");
            }
            default:
                throw new IllegalArgumentException(
                        "unit property " + p.name() + ": no D-Bus form for " + p.signature());
        }
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    @Override
    public void close() {
        try {
            jobSignals.close();
        } catch (Exception e) {
            // the connection goes next, with every match it holds
        }
        try {
            connection.close();
        } catch (IOException e) {
            // nothing is left to flush: every call waited for its reply
        }
    }
}
