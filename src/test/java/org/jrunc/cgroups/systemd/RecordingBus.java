package org.jrunc.cgroups.systemd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jrunc.JruncException;
import org.jrunc.cgroups.FakeCgroupTree;
import org.jrunc.cgroups.Hierarchy;

/**
 * systemd played on a {@link FakeCgroupTree}: every call is logged; a started unit's directory appears in the
 * hierarchies systemd manages (with the pid in it), a stopped one's goes. A failure can be planted per method.
 */
final class RecordingBus implements SystemdBus.Opener {
    final List<String> calls = new ArrayList<>();
    final List<List<UnitProperty>> properties = new ArrayList<>();
    private final FakeCgroupTree tree;
    private final Set<String> managed;
    /** The method that fails next ("start", "set", "stop"), or null. */
    String failing;

    /** The cgroup path of the unit started last, which a stop removes. */
    String started;

    int opened;
    int closed;

    /** @param managed the hierarchy keys systemd makes a unit's directory in */
    RecordingBus(FakeCgroupTree tree, Set<String> managed) {
        this.tree = tree;
        this.managed = managed;
    }

    @Override
    public SystemdBus open() {
        opened++;
        return new SystemdBus() {
            @Override
            public void startTransientUnit(String unit, List<UnitProperty> props) {
                calls.add("start " + unit);
                properties.add(props);
                fail("start", unit);
                String pids = "";
                String path = null;
                for (UnitProperty p : props) {
                    if (p.name().equals("PIDs")) {
                        pids = ((List<?>) p.value()).get(0).toString();
                    }
                }
                for (UnitProperty p : props) {
                    if (p.name().equals("Slice")) {
                        path = SystemdUnit.expandSlice((String) p.value()) + "/" + unit;
                    }
                }
                started = path;
                for (Hierarchy h : tree.layout().hierarchies()) {
                    if (managed.contains(h.key())) {
                        makeAll(Path.of(h.dirOf(path)), h);
                        tree.write(
                                tree.root()
                                        .relativize(Path.of(h.dirOf(path), "cgroup.procs"))
                                        .toString(),
                                pids);
                    }
                }
            }

            private void makeAll(Path dir, Hierarchy h) {
                if (dir.toString().equals(h.mountPoint()) || tree.isDirectory(dir)) {
                    return;
                }
                makeAll(dir.getParent(), h);
                try {
                    tree.makeDir(dir);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void setUnitProperties(String unit, List<UnitProperty> props) {
                calls.add("set " + unit);
                properties.add(props);
                fail("set", unit);
            }

            @Override
            public void stopUnit(String unit) {
                calls.add("stop " + unit);
                fail("stop", unit);
                for (Hierarchy h : tree.layout().hierarchies()) {
                    if (managed.contains(h.key()) && started != null) {
                        removeAll(Path.of(h.dirOf(started)));
                    }
                }
            }

            private void removeAll(Path dir) {
                try {
                    if (tree.isDirectory(dir)) {
                        tree.write(
                                tree.root()
                                        .relativize(dir.resolve("cgroup.procs"))
                                        .toString(),
                                "");
                        tree.removeDir(dir);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void resetFailedUnit(String unit) {
                calls.add("reset-failed " + unit);
            }

            @Override
            public void close() {
                closed++;
            }
        };
    }

    private void fail(String method, String unit) {
        if (method.equals(failing)) {
            failing = null;
            throw new JruncException("systemd could not " + method + " unit " + unit + ": job failed");
        }
    }

    /** The names of the properties of call {@code i}. */
    List<String> names(int i) {
        List<String> out = new ArrayList<>();
        for (UnitProperty p : properties.get(i)) {
            out.add(p.name());
        }
        return out;
    }

    Object value(int i, String name) {
        for (UnitProperty p : properties.get(i)) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        return null;
    }
}
