package org.jrunc.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.json.JsonWriter;
import org.jrunc.process.HostProcesses;
import org.jrunc.process.ProcStat;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.sys.KernelFiles;

/**
 * `ps [--format table|json] ID`: the processes in the container's cgroup (and its init before `start`, when it has
 * not joined the cgroup yet). The table is built from /proc in `ps -ef`'s columns rather than by running ps.
 */
public final class ContainerPs {
    private final ContainerHost host;
    private final StateStore store;
    private final CgroupManager.Factory cgroups;
    private final HostProcesses processes;

    public ContainerPs(ContainerHost host) {
        this.host = host;
        this.store = host.store();
        this.cgroups = host.cgroups();
        this.processes = host.processes();
    }

    public List<Integer> pids(String id) {
        ContainerRecord r = store.load(id);
        // a container made without any cgroup (rootless, nothing writable) has no list of its processes but its
        // init's tree
        List<Integer> pids = new ArrayList<>(
                r.cgroupPaths.isEmpty()
                        ? processes.descendants(r.initPid)
                        : cgroups.forRecorded(r.cgroupPaths, r.createdCgroups).pids());
        if (host.probe().initAlive(r) && !pids.contains(r.initPid)) {
            pids.add(0, r.initPid);
        }
        return pids;
    }

    public String render(String id, String format) {
        List<Integer> pids = pids(id);
        if ("json".equals(format)) {
            return JsonWriter.compact(pids) + "\n";
        }
        if (!"table".equals(format)) {
            throw new JruncException("invalid format option");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"UID", "PID", "PPID", "STIME", "TTY", "TIME", "CMD"});
        for (int pid : pids) {
            String[] row = row(pid);
            if (row != null) {
                rows.add(row);
            }
        }
        return ContainerList.table(rows);
    }

    private String[] row(int pid) {
        Path p = Path.of("/proc/" + pid);
        String stat = KernelFiles.readOrNull(p.resolve("stat"));
        if (stat == null) {
            return null;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        String cmd = KernelFiles.readOrNull(p.resolve("cmdline"));
        if (cmd == null || cmd.isEmpty()) {
            cmd = "[" + stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')) + "]";
        }
        String uid;
        try {
            uid = Files.getOwner(p).getName();
        } catch (IOException e) {
            uid = "?";
        }
        ProcStat ps = processes.stat(pid);
        return new String[] {
            uid,
            Integer.toString(pid),
            f[1],
            Long.toString(ps == null ? 0 : ps.startTicks() / 100),
            f[4].equals("0") ? "?" : "pts",
            String.format("%02d:%02d:%02d", ticks / 360000, ticks / 6000 % 60, ticks / 100 % 60),
            cmd.replace('\0', ' ').trim()
        };
    }
}
