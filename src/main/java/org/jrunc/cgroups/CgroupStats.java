package org.jrunc.cgroups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's cgroup statistics as the "data" of a `runc events` stats event: the JSON shape of runc's
 * types/events.go Stats, field names and omitempty rules included, filled from v1 or v2 files as runc's fs and fs2
 * drivers read them. uint64 values above 2^63 become BigIntegers so they print as Go prints them.
 *
 * <p>Missing files are not errors (a controller may be absent or disabled); the section stays empty, as in runc.
 */
public final class CgroupStats {
    /** cpuacct.stat counts USER_HZ ticks, which is 100 on every Linux ABI. */
    private static final long NS_PER_TICK = 1_000_000_000L / 100;

    private final ControlFiles io;
    private final ControllerPlacement placement;
    private final List<String> hugePageSizes;

    private CgroupStats(CgroupFiles files, Map<String, String> dirs, List<String> hugePageSizes) {
        this.io = new ControlFiles(files);
        this.placement = ControllerPlacement.forReading(dirs, files);
        this.hugePageSizes = hugePageSizes;
    }

    /** Stats of the cgroup with these directories (hierarchy key to directory, as in state.json). */
    public static Map<String, Object> read(Map<String, String> dirs) {
        return read(dirs, KernelCgroupFiles.checked(), HugePageSizes.ofHost());
    }

    public static Map<String, Object> read(Map<String, String> dirs, CgroupFiles files, List<String> hugePageSizes) {
        return new CgroupStats(files, dirs, hugePageSizes).collect();
    }

    /** {"type": type, "id": id, "data": data}, one line of `events` output; data is left out when null. */
    public static Map<String, Object> event(String type, String id, Object data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("id", id);
        if (data != null) {
            e.put("data", data);
        }
        return e;
    }

    private Map<String, Object> collect() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cpu", cpu());
        s.put("cpuset", cpuset());
        s.put("memory", memory());
        s.put("pids", pids());
        s.put("blkio", blkio());
        s.put("hugetlb", hugetlb());
        s.put("intel_rdt", new LinkedHashMap<>());
        s.put("network_interfaces", null);
        return s;
    }

    // ---- cpu ----

    private Map<String, Object> cpu() {
        Map<String, Object> usage = new LinkedHashMap<>();
        Map<String, Object> throttling = new LinkedHashMap<>();
        Map<String, Object> psi = null;
        ControllerPlacement.Target acct = placement.of(Controller.CPUACCT);
        ControllerPlacement.Target cpu = placement.of(Controller.CPU);
        String v2 = placement.unifiedDir();
        if (acct != null) {
            v1CpuUsage(acct.dir(), usage);
        } else if (v2 != null) {
            // cpu.stat is a core file in v2: usage is there even without the cpu controller
            Map<String, Long> st = io.keyValues(v2, "cpu.stat");
            putNonZero(usage, "total", times(st.get("usage_usec"), 1000));
            usage.put("kernel", Numbers.json(times(st.get("system_usec"), 1000)));
            usage.put("user", Numbers.json(times(st.get("user_usec"), 1000)));
        }
        if (cpu != null && !cpu.v2()) {
            Map<String, Long> st = io.keyValues(cpu.dir(), "cpu.stat");
            throttling(throttling, st.get("nr_periods"), st.get("nr_throttled"), st.get("throttled_time"));
        } else if (v2 != null && acct == null) {
            Map<String, Long> st = io.keyValues(v2, "cpu.stat");
            throttling(throttling, st.get("nr_periods"), st.get("nr_throttled"), times(st.get("throttled_usec"), 1000));
            psi = psi(v2, "cpu.pressure");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (hasNonZero(usage)) {
            usage.putIfAbsent("kernel", 0L);
            usage.putIfAbsent("user", 0L);
            out.put("usage", usage);
        }
        if (!throttling.isEmpty()) {
            out.put("throttling", throttling);
        }
        putIfNotNull(out, "psi", psi);
        return out;
    }

    private void v1CpuUsage(String dir, Map<String, Object> usage) {
        putNonZero(usage, "total", orZero(io.getU64(dir, "cpuacct.usage")));
        putList(usage, "percpu", numbers(io.get(dir, "cpuacct.usage_percpu")));
        // cpuacct.usage_all: "cpu user system" header, then one line per cpu
        List<Long> kernel = new ArrayList<>();
        List<Long> user = new ArrayList<>();
        String all = io.get(dir, "cpuacct.usage_all");
        if (all != null && all.startsWith("cpu user system")) {
            for (String line : all.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3 && f[0].matches("\\d+")) {
                    user.add(Numbers.parseU64(f[1]));
                    kernel.add(Numbers.parseU64(f[2]));
                }
            }
        }
        putList(usage, "percpu_kernel", kernel);
        putList(usage, "percpu_user", user);
        Map<String, Long> st = io.keyValues(dir, "cpuacct.stat");
        usage.put("kernel", Numbers.json(times(st.get("system"), NS_PER_TICK)));
        usage.put("user", Numbers.json(times(st.get("user"), NS_PER_TICK)));
    }

    private static void throttling(Map<String, Object> t, Long periods, Long throttled, Long time) {
        putNonZero(t, "periods", orZero(periods));
        putNonZero(t, "throttledPeriods", orZero(throttled));
        putNonZero(t, "throttledTime", orZero(time));
    }

    // ---- cpuset ----

    private Map<String, Object> cpuset() {
        ControllerPlacement.Target t = placement.of(Controller.CPUSET);
        String d = t != null && !t.v2() ? t.dir() : null; // runc reads cpuset stats from v1 only
        Map<String, Object> out = new LinkedHashMap<>();
        putList(out, "cpus", d == null ? List.of() : idList(io.get(d, "cpuset.cpus")));
        out.put("cpu_exclusive", flag(d, "cpuset.cpu_exclusive"));
        putList(out, "mems", d == null ? List.of() : idList(io.get(d, "cpuset.mems")));
        out.put("mem_hardwall", flag(d, "cpuset.mem_hardwall"));
        out.put("mem_exclusive", flag(d, "cpuset.mem_exclusive"));
        out.put("memory_migrate", flag(d, "cpuset.memory_migrate"));
        out.put("memory_spread_page", flag(d, "cpuset.memory_spread_page"));
        out.put("memory_spread_slab", flag(d, "cpuset.memory_spread_slab"));
        out.put("memory_pressure", flag(d, "cpuset.memory_pressure"));
        out.put("sched_load_balance", flag(d, "cpuset.sched_load_balance"));
        String level = d == null ? null : io.get(d, "cpuset.sched_relax_domain_level");
        out.put("sched_relax_domain_level", level == null || !level.matches("-?\\d+") ? 0L : Long.parseLong(level));
        return out;
    }

    private Object flag(String dir, String file) {
        return Numbers.json(dir == null ? 0 : orZero(io.getU64(dir, file)));
    }

    /** "0-3,7" as [0, 1, 2, 3, 7]. */
    static List<Long> idList(String s) {
        List<Long> out = new ArrayList<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String part : s.trim().split(",")) {
            String[] r = part.split("-", 2);
            try {
                long from = Long.parseLong(r[0].trim());
                long to = r.length == 2 ? Long.parseLong(r[1].trim()) : from;
                for (long i = from; i <= to; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                return new ArrayList<>();
            }
        }
        return out;
    }

    // ---- memory ----

    private Map<String, Object> memory() {
        Map<String, Object> out = new LinkedHashMap<>();
        ControllerPlacement.Target t = placement.of(Controller.MEMORY);
        if (t == null) {
            return out;
        }
        Map<String, Long> raw = io.keyValues(t.dir(), "memory.stat");
        // the page cache: "cache" in v1, "file" in v2
        putNonZero(out, "cache", orZero(raw.get(t.v2() ? "file" : "cache")));
        if (t.v2()) {
            long[] mem = v2MemoryData(t.dir(), "memory");
            long[] swap = v2MemoryData(t.dir(), "memory.swap");
            putEntry(out, "usage", mem);
            // v1 reports swap as memory+swap, so v2's swap-only numbers are added to the memory ones (runc does so)
            long swapLimit = swap[0] == -1 ? -1 : swap[0] + mem[0];
            putEntry(out, "swap", new long[] {swapLimit, swap[1] + mem[1], 0, 0});
        } else {
            putEntry(out, "usage", v1MemoryData(t.dir(), "memory"));
            putEntry(out, "swap", v1MemoryData(t.dir(), "memory.memsw"));
            putEntry(out, "kernel", v1MemoryData(t.dir(), "memory.kmem"));
            putEntry(out, "kernelTCP", v1MemoryData(t.dir(), "memory.kmem.tcp"));
        }
        if (!raw.isEmpty()) {
            Map<String, Object> rawJson = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : raw.entrySet()) {
                rawJson.put(e.getKey(), Numbers.json(e.getValue()));
            }
            out.put("raw", rawJson);
        }
        if (t.v2()) {
            putIfNotNull(out, "psi", psi(t.dir(), "memory.pressure"));
        }
        return out;
    }

    /** {limit, usage, max, failcnt} from PREFIX.{limit_in_bytes, usage_in_bytes, max_usage_in_bytes, failcnt}. */
    private long[] v1MemoryData(String dir, String prefix) {
        if (!io.has(dir, prefix + ".usage_in_bytes")) {
            return new long[4]; // no swap accounting, or kmem gone from the kernel
        }
        return new long[] {
            orZero(io.getU64(dir, prefix + ".limit_in_bytes")),
            orZero(io.getU64(dir, prefix + ".usage_in_bytes")),
            orZero(io.getU64(dir, prefix + ".max_usage_in_bytes")),
            orZero(io.getU64(dir, prefix + ".failcnt"))
        };
    }

    /** {limit, usage, max, failcnt} from PREFIX.{max, current, peak}; v2 has no failcnt here. */
    private long[] v2MemoryData(String dir, String prefix) {
        if (!io.has(dir, prefix + ".current")) {
            return new long[4];
        }
        return new long[] {
            orZero(io.getU64(dir, prefix + ".max")),
            orZero(io.getU64(dir, prefix + ".current")),
            orZero(io.getU64(dir, prefix + ".peak")),
            0
        };
    }

    /** A MemoryEntry: limit and failcnt always, usage and max when not 0; the whole entry only when not all 0. */
    private static void putEntry(Map<String, Object> out, String name, long[] d) {
        if (d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0) {
            return;
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("limit", Numbers.json(d[0]));
        putNonZero(e, "usage", d[1]);
        putNonZero(e, "max", d[2]);
        e.put("failcnt", Numbers.json(d[3]));
        out.put(name, e);
    }

    // ---- pids ----

    private Map<String, Object> pids() {
        Map<String, Object> out = new LinkedHashMap<>();
        ControllerPlacement.Target t = placement.of(Controller.PIDS);
        long current;
        long limit = 0;
        if (t != null && io.has(t.dir(), "pids.current")) {
            current = orZero(io.getU64(t.dir(), "pids.current"));
            limit = orZero(io.getU64(t.dir(), "pids.max"));
        } else if (placement.unifiedDir() != null && t == null) {
            // v2 without the pids controller: count cgroup.procs, as runc does
            String procs = io.get(placement.unifiedDir(), "cgroup.procs");
            current = procs == null || procs.isEmpty() ? 0 : procs.split("\n").length;
        } else {
            return out;
        }
        putNonZero(out, "current", current);
        // "max" reads as all bits set; runc reports no limit as 0 (omitted)
        putNonZero(out, "limit", limit == -1 ? 0 : limit);
        return out;
    }

    // ---- blkio ----

    /** v1 sources in runc's order of preference; the first group whose first file has data is used. */
    private static final String[][][] V1_BLKIO_GROUPS = {
        {
            {"blkio.bfq.sectors_recursive", "sectorsRecursive"},
            {"blkio.bfq.io_service_time_recursive", "ioServiceTimeRecursive"},
            {"blkio.bfq.io_wait_time_recursive", "ioWaitTimeRecursive"},
            {"blkio.bfq.io_merged_recursive", "ioMergedRecursive"},
            {"blkio.bfq.io_queued_recursive", "ioQueueRecursive"},
            {"blkio.bfq.time_recursive", "ioTimeRecursive"},
            {"blkio.bfq.io_serviced_recursive", "ioServicedRecursive"},
            {"blkio.bfq.io_service_bytes_recursive", "ioServiceBytesRecursive"}
        },
        {
            {"blkio.bfq.io_serviced_recursive", "ioServicedRecursive"},
            {"blkio.bfq.io_service_bytes_recursive", "ioServiceBytesRecursive"}
        },
        {
            {"blkio.sectors_recursive", "sectorsRecursive"},
            {"blkio.io_service_time_recursive", "ioServiceTimeRecursive"},
            {"blkio.io_wait_time_recursive", "ioWaitTimeRecursive"},
            {"blkio.io_merged_recursive", "ioMergedRecursive"},
            {"blkio.io_queued_recursive", "ioQueueRecursive"},
            {"blkio.time_recursive", "ioTimeRecursive"},
            {"blkio.io_serviced_recursive", "ioServicedRecursive"},
            {"blkio.io_service_bytes_recursive", "ioServiceBytesRecursive"}
        },
        {
            {"blkio.throttle.io_serviced_recursive", "ioServicedRecursive"},
            {"blkio.throttle.io_service_bytes_recursive", "ioServiceBytesRecursive"}
        },
        {
            {"blkio.throttle.io_serviced", "ioServicedRecursive"},
            {"blkio.throttle.io_service_bytes", "ioServiceBytesRecursive"}
        }
    };

    /** JSON list names in the order runc's Blkio struct declares them. */
    private static final List<String> BLKIO_ORDER = List.of(
            "ioServiceBytesRecursive",
            "ioServicedRecursive",
            "ioQueueRecursive",
            "ioServiceTimeRecursive",
            "ioWaitTimeRecursive",
            "ioMergedRecursive",
            "ioTimeRecursive",
            "sectorsRecursive");

    private Map<String, Object> blkio() {
        Map<String, List<Map<String, Object>>> lists = new LinkedHashMap<>();
        ControllerPlacement.Target t = placement.of(Controller.BLKIO);
        Map<String, Object> psi = null;
        if (t != null && !t.v2()) {
            for (String[][] group : V1_BLKIO_GROUPS) {
                if (v1BlkioEntries(t.dir(), group[0][0]).isEmpty()) {
                    continue;
                }
                for (String[] source : group) {
                    lists.put(source[1], v1BlkioEntries(t.dir(), source[0]));
                }
                break;
            }
        } else if (t != null) {
            v2IoStat(t.dir(), lists);
            psi = psi(t.dir(), "io.pressure");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : BLKIO_ORDER) {
            List<Map<String, Object>> l = lists.get(name);
            if (l != null && !l.isEmpty()) {
                out.put(name, l);
            }
        }
        putIfNotNull(out, "psi", psi);
        return out;
    }

    /** Lines "8:0 Read 1282048" (or "8:0 6792" without an op); the "Total N" line is skipped. */
    private List<Map<String, Object>> v1BlkioEntries(String dir, String file) {
        List<Map<String, Object>> out = new ArrayList<>();
        String content = io.get(dir, file);
        if (content == null) {
            return out;
        }
        for (String line : content.split("\n")) {
            String[] f = line.trim().split("[ :]+");
            if (f.length < 3) {
                continue;
            }
            boolean withOp = f.length >= 4;
            out.add(blkioEntry(f[0], f[1], withOp ? f[2] : "", f[withOp ? 3 : 2]));
        }
        return out;
    }

    /** io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ..." in v1's layout: bytes and ios, each with Read and Write. */
    private void v2IoStat(String dir, Map<String, List<Map<String, Object>>> lists) {
        String content = io.get(dir, "io.stat");
        if (content == null) {
            return;
        }
        for (String line : content.split("\n")) {
            String[] f = line.trim().split("\\s+");
            String[] dev = f[0].split(":");
            if (dev.length != 2) {
                continue;
            }
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                String list = switch (kv[0]) {
                    case "rbytes", "wbytes" -> "ioServiceBytesRecursive";
                    case "rios", "wios" -> "ioServicedRecursive";
                    default -> null;
                };
                if (list != null) {
                    String op = kv[0].startsWith("r") ? "Read" : "Write";
                    List<Map<String, Object>> entries = lists.get(list);
                    if (entries == null) {
                        entries = new ArrayList<>();
                        lists.put(list, entries);
                    }
                    entries.add(blkioEntry(dev[0], dev[1], op, kv[1]));
                }
            }
        }
    }

    /** A BlkioEntry; every field is omitempty in runc. */
    private static Map<String, Object> blkioEntry(String major, String minor, String op, String value) {
        Map<String, Object> e = new LinkedHashMap<>();
        putNonZero(e, "major", orZero(Numbers.parseU64(major)));
        putNonZero(e, "minor", orZero(Numbers.parseU64(minor)));
        if (!op.isEmpty()) {
            e.put("op", op);
        }
        putNonZero(e, "value", orZero(Numbers.parseU64(value)));
        return e;
    }

    // ---- hugetlb ----

    private Map<String, Object> hugetlb() {
        Map<String, Object> out = new LinkedHashMap<>();
        ControllerPlacement.Target t = placement.of(Controller.HUGETLB);
        if (t == null) {
            return out;
        }
        for (String size : hugePageSizes) {
            String prefix = "hugetlb." + size;
            // reservation accounting when the kernel has it: it is what the limits apply to
            String rsvd = io.has(t.dir(), prefix + ".rsvd" + (t.v2() ? ".current" : ".usage_in_bytes")) ? ".rsvd" : "";
            long usage;
            long max = 0;
            long failcnt;
            if (t.v2()) {
                if (!io.has(t.dir(), prefix + rsvd + ".current")) {
                    continue;
                }
                usage = orZero(io.getU64(t.dir(), prefix + rsvd + ".current"));
                failcnt = orZero(io.keyValues(t.dir(), prefix + ".events").get("max"));
            } else {
                if (!io.has(t.dir(), prefix + rsvd + ".usage_in_bytes")) {
                    continue;
                }
                usage = orZero(io.getU64(t.dir(), prefix + rsvd + ".usage_in_bytes"));
                max = orZero(io.getU64(t.dir(), prefix + rsvd + ".max_usage_in_bytes"));
                failcnt = orZero(io.getU64(t.dir(), prefix + rsvd + ".failcnt"));
            }
            Map<String, Object> e = new LinkedHashMap<>();
            putNonZero(e, "usage", usage);
            putNonZero(e, "max", max);
            e.put("failcnt", Numbers.json(failcnt));
            out.put(size, e);
        }
        return out;
    }

    // ---- psi ----

    /** "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" and "full ..." lines; null when the file is missing. */
    private Map<String, Object> psi(String dir, String file) {
        String content = io.get(dir, file);
        if (content == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String line : content.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (!f[0].equals("some") && !f[0].equals("full")) {
                continue;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            for (String key : new String[] {"avg10", "avg60", "avg300", "total"}) {
                data.put(key, 0L);
            }
            boolean zero = true;
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length == 2 && data.containsKey(kv[0])) {
                    Object v = kv[0].equals("total") ? Numbers.json(orZero(Numbers.parseU64(kv[1]))) : decimal(kv[1]);
                    data.put(kv[0], v);
                    zero &= v.equals(0L);
                }
            }
            if (!zero) {
                out.put(f[0], data); // omitzero
            }
        }
        return out;
    }

    /** A float as Go's encoding/json prints it: "0" and "1.5" rather than Java's "0.0". */
    private static Object decimal(String s) {
        try {
            double d = Double.parseDouble(s);
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
        } catch (NumberFormatException e) {
            return 0L;
        }
    }

    // ---- helpers ----

    private static List<Long> numbers(String s) {
        List<Long> out = new ArrayList<>();
        if (s != null) {
            for (String f : s.trim().split("\\s+")) {
                Long v = f.isEmpty() ? null : Numbers.parseU64(f);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static long times(Long v, long factor) {
        return v == null ? 0 : v * factor;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static void putNonZero(Map<String, Object> m, String key, long v) {
        if (v != 0) {
            m.put(key, Numbers.json(v));
        }
    }

    private static void putList(Map<String, Object> m, String key, List<Long> values) {
        if (!values.isEmpty()) {
            List<Object> json = new ArrayList<>();
            for (Long v : values) {
                json.add(Numbers.json(v));
            }
            m.put(key, json);
        }
    }

    private static void putIfNotNull(Map<String, Object> m, String key, Object v) {
        if (v != null) {
            m.put(key, v);
        }
    }

    private static boolean hasNonZero(Map<String, Object> m) {
        for (Object v : m.values()) {
            if (!(v instanceof Long l && l == 0)) {
                return true;
            }
        }
        return false;
    }
}
