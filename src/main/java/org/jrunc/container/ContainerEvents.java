package org.jrunc.container;

import java.io.PrintStream;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrunc.JruncException;
import org.jrunc.Pause;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.cgroups.CgroupStats;
import org.jrunc.cgroups.OomCounter;
import org.jrunc.json.JsonWriter;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.Status;

/**
 * `events [--stats] [--interval D] ID`: runc's JSON lines, {"type":"stats"|"oom","id":...,"data":...}. With --stats
 * one line of statistics; otherwise statistics every interval and an "oom" line whenever the OOM killer strikes,
 * until the container stops.
 */
public final class ContainerEvents {
    private final ContainerHost host;
    private final StateStore store;
    private final CgroupManager.Factory cgroups;

    public ContainerEvents(ContainerHost host) {
        this.host = host;
        this.store = host.store();
        this.cgroups = host.cgroups();
    }

    public void stats(String id, PrintStream out) {
        ContainerRecord r = store.load(id);
        print(
                out,
                CgroupStats.event(
                        "stats",
                        id,
                        cgroups.forRecorded(r.cgroupPaths, r.createdCgroups).stats()));
    }

    public void follow(String id, long intervalMillis, PrintStream out) {
        ContainerRecord r = store.load(id);
        CgroupManager cgroup = cgroups.forRecorded(r.cgroupPaths, r.createdCgroups);
        OomCounter oom = cgroup.watchOom();
        long nextStats = 0;
        while (true) {
            Status s = host.probe().status(r, store.fifo(id));
            long kills = oom.poll();
            for (long i = 0; i < kills; i++) {
                print(out, OomCounter.event(id));
            }
            if (s == Status.STOPPED || kills < 0) {
                return;
            }
            long now = System.currentTimeMillis();
            if (now >= nextStats) {
                print(out, CgroupStats.event("stats", id, cgroup.stats()));
                nextStats = now + intervalMillis;
            }
            if (!Pause.millis(Math.min(intervalMillis, 100))) {
                return;
            }
        }
    }

    private static void print(PrintStream out, Map<String, Object> event) {
        out.println(JsonWriter.compact(event));
        out.flush();
    }

    /** --interval as runc takes it, a Go duration of one unit: 500ms, 5s, 1m, 1h. */
    public static long intervalMillis(String d) {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(d);
        if (!m.matches()) {
            throw new JruncException("invalid --interval " + d + " (e.g. 500ms, 5s, 1m)");
        }
        double v = Double.parseDouble(m.group(1));
        double factor;
        switch (m.group(2)) {
            case "ms":
                factor = 1;
                break;
            case "s":
                factor = 1000;
                break;
            case "m":
                factor = 60_000;
                break;
            default:
                factor = 3_600_000;
        }
        long ms = (long) (v * factor);
        if (ms <= 0) {
            throw new JruncException("--interval must be positive");
        }
        return ms;
    }
}
