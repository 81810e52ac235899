package org.jrunc.cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jrunc.cgroups.v2.DeviceFilter;
import org.jrunc.sys.Errno;

/**
 * A cgroup file tree under a temporary directory, with a mountinfo describing it, and a {@link CgroupFiles} that
 * records every write. It emulates the little kernel behaviour the writers and the manager rely on: writes replace the
 * content, a file that does not exist cannot be written, "+c" in cgroup.subtree_control makes c appear in the
 * children's cgroup.controllers, cgroup.freeze shows in cgroup.events, cgroup.kill empties cgroup.procs, mkdir fills a
 * new cgroup with its controllers' files, rmdir refuses (EBUSY) a cgroup with processes or child cgroups and takes its
 * files along, and chosen writes can be made to fail with an errno. After {@link #asUnprivilegedUser} it also emulates
 * file ownership for a rootless caller: only what was delegated to it ({@link #delegate}) and the cgroups it made
 * itself are writable, as the kernel gives a new cgroup and its files to the uid that made it.
 */
public final class FakeCgroupTree implements CgroupFiles {
    private final Path root;
    private final List<String> mountinfo = new ArrayList<>();
    private final List<String> writes = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private final Map<String, Integer> failures = new LinkedHashMap<>();
    private final Map<String, UnaryOperator<String>> kernelValues = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> defaults = new LinkedHashMap<>();
    /** The interface files a v2 controller adds to a cgroup once the parent enables it. */
    private static final Map<String, Map<String, String>> V2_FILES = v2Files();
    /** Null while the caller is root; else what the unprivileged caller may write: exact paths, and trees it owns. */
    private Set<Path> userFiles;

    private final Set<Path> userTrees = new LinkedHashSet<>();

    private FakeCgroupTree(Path root) {
        this.root = root;
    }

    /** This project's hybrid machines: v1 cpu, cpuacct, cpuset, memory, devices, freezer, blkio, pids, name=systemd,
     * and a cgroup2 mount at unified carrying only hugetlb. */
    public static FakeCgroupTree hybrid(Path root) {
        FakeCgroupTree t = new FakeCgroupTree(root);
        int id = 32;
        for (String c : List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids")) {
            t.mount(id++, c, "cgroup", "rw," + c);
        }
        t.mount(id++, "systemd", "cgroup", "rw,name=systemd");
        t.mount(id, "unified", "cgroup2", "rw");
        t.write("unified/cgroup.controllers", "hugetlb\n");
        t.write("unified/cgroup.subtree_control", "\n");
        t.v1Defaults();
        t.defaults.put("unified", v2Core("usage_usec 0\n"));
        return t;
    }

    /** A pure cgroup v2 host with {@code controllers} in the root's cgroup.controllers. */
    public static FakeCgroupTree pureV2(Path root, String controllers) {
        FakeCgroupTree t = new FakeCgroupTree(root);
        t.mountinfo.add("31 23 0:28 / " + root.resolve("fs") + " rw,relatime - cgroup2 cgroup2 rw");
        t.write("fs/cgroup.controllers", controllers + "\n");
        t.write("fs/cgroup.subtree_control", "\n");
        Map<String, String> core = v2Core("usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
        core.put("cgroup.type", "domain\n");
        t.defaults.put("unified", core);
        return t;
    }

    /** The core files of a new v2 cgroup (cgroup.kill: kernel 5.14+), with this cpu.stat. */
    private static Map<String, String> v2Core(String cpuStat) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cgroup.controllers", "");
        m.put("cgroup.subtree_control", "");
        m.put("cgroup.procs", "");
        m.put("cgroup.events", "populated 0\nfrozen 0\n");
        m.put("cgroup.freeze", "0\n");
        m.put("cgroup.kill", "");
        m.put("cgroup.max.descendants", "max\n");
        m.put("cpu.stat", cpuStat);
        return m;
    }

    /** Legacy v1 only, with the same controllers as the hybrid host plus net_cls,net_prio and hugetlb. */
    public static FakeCgroupTree legacyV1(Path root) {
        FakeCgroupTree t = new FakeCgroupTree(root);
        int id = 32;
        for (String c : List.of(
                "cpu,cpuacct", "cpuset", "memory", "devices", "blkio", "pids", "hugetlb", "net_cls,net_prio", "rdma")) {
            t.mount(id++, c, "cgroup", "rw," + c);
        }
        t.v1Defaults();
        return t;
    }

    private void mount(int id, String dir, String fs, String opts) {
        mountinfo.add(id + " 31 0:" + id + " / " + root.resolve(dir) + " rw,relatime - " + fs + " " + fs + " " + opts);
        try {
            Files.createDirectories(root.resolve(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files a fresh v1 cgroup of each controller has, with the kernel's initial values. */
    private void v1Defaults() {
        Map<String, String> cpu = new LinkedHashMap<>();
        cpu.put("cpu.shares", "1024\n");
        cpu.put("cpu.cfs_quota_us", "-1\n");
        cpu.put("cpu.cfs_period_us", "100000\n");
        cpu.put("cpu.cfs_burst_us", "0\n");
        cpu.put("cpu.rt_runtime_us", "0\n");
        cpu.put("cpu.rt_period_us", "1000000\n");
        cpu.put("cpu.idle", "0\n");
        cpu.put("cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
        defaults.put("cpu", cpu);
        defaults.put("cpuacct", Map.of("cpuacct.usage", "0\n"));
        defaults.put("cpuset", Map.of("cpuset.cpus", "\n", "cpuset.mems", "\n"));
        Map<String, String> mem = new LinkedHashMap<>();
        mem.put("memory.limit_in_bytes", "9223372036854771712\n");
        mem.put("memory.memsw.limit_in_bytes", "9223372036854771712\n");
        mem.put("memory.soft_limit_in_bytes", "9223372036854771712\n");
        mem.put("memory.swappiness", "60\n");
        mem.put("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        mem.put("memory.usage_in_bytes", "0\n");
        mem.put("memory.max_usage_in_bytes", "0\n");
        mem.put("memory.kmem.limit_in_bytes", "9223372036854771712\n");
        defaults.put("memory", mem);
        defaults.put("devices", Map.of("devices.list", "a *:* rwm\n", "devices.allow", "", "devices.deny", ""));
        defaults.put("freezer", Map.of("freezer.state", "THAWED\n"));
        Map<String, String> blkio = new LinkedHashMap<>();
        for (IoThrottle t : IoThrottle.values()) {
            blkio.put(t.v1File, "");
        }
        blkio.put("blkio.bfq.weight", "100\n");
        blkio.put("blkio.bfq.weight_device", "");
        defaults.put("blkio", blkio);
        defaults.put("pids", Map.of("pids.max", "max\n", "pids.current", "0\n"));
        Map<String, String> hugetlb = new LinkedHashMap<>();
        for (String size : List.of("2MB", "1GB")) {
            hugetlb.put("hugetlb." + size + ".limit_in_bytes", "9223372036854771712\n");
            hugetlb.put("hugetlb." + size + ".rsvd.limit_in_bytes", "9223372036854771712\n");
        }
        defaults.put("hugetlb", hugetlb);
        defaults.put("net_cls", Map.of("net_cls.classid", "0\n"));
        defaults.put("net_prio", Map.of("net_prio.ifpriomap", "lo 0\n"));
        defaults.put("rdma", Map.of("rdma.max", ""));
        defaults.put("name=systemd", Map.of());
    }

    private static Map<String, Map<String, String>> v2Files() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put(
                "memory",
                Map.of(
                        "memory.max",
                        "max\n",
                        "memory.low",
                        "0\n",
                        "memory.swap.max",
                        "max\n",
                        "memory.current",
                        "0\n",
                        "memory.events",
                        "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n",
                        "memory.stat",
                        "anon 0\nfile 0\n",
                        "memory.oom.group",
                        "0\n"));
        m.put(
                "cpu",
                Map.of("cpu.weight", "100\n", "cpu.max", "max 100000\n", "cpu.max.burst", "0\n", "cpu.idle", "0\n"));
        m.put("cpuset", Map.of("cpuset.cpus", "\n", "cpuset.mems", "\n"));
        m.put("pids", Map.of("pids.max", "max\n", "pids.current", "0\n"));
        m.put("io", Map.of("io.weight", "default 100\n", "io.max", "", "io.stat", ""));
        Map<String, String> hugetlb = new LinkedHashMap<>();
        for (String size : List.of("2MB", "1GB")) {
            hugetlb.put("hugetlb." + size + ".max", "max\n");
            hugetlb.put("hugetlb." + size + ".rsvd.max", "max\n");
            hugetlb.put("hugetlb." + size + ".current", "0\n");
            hugetlb.put("hugetlb." + size + ".events", "max 0\n");
        }
        m.put("hugetlb", hugetlb);
        m.put("rdma", Map.of("rdma.max", ""));
        return m;
    }

    private static void addV2Files(Path dir, Set<String> controllers) {
        for (String c : controllers) {
            V2_FILES.getOrDefault(c, Map.of()).forEach((f, v) -> {
                if (!Files.exists(dir.resolve(f))) {
                    writeRaw(dir.resolve(f), v);
                }
            });
        }
    }

    public CgroupLayout layout() {
        return CgroupLayout.parse(mountinfo);
    }

    public Path root() {
        return root;
    }

    /** The container directories for cgroup {@code path}, keyed as ContainerCgroup keys them. */
    public Map<String, String> dirs(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Hierarchy h : layout().hierarchies()) {
            out.put(h.key(), h.dirOf(path));
        }
        return out;
    }

    /** Creates cgroup {@code path} in every hierarchy with the default files of its controllers. */
    public Map<String, String> create(String path) {
        Map<String, String> dirs = dirs(path);
        for (Hierarchy h : layout().hierarchies()) {
            List<Path> chain = new ArrayList<>();
            for (Path p = Path.of(h.dirOf(path)); !p.toString().equals(h.mountPoint()); p = p.getParent()) {
                chain.add(0, p);
            }
            chain.forEach(p -> mkdirWithDefaults(h, p));
        }
        return dirs;
    }

    private void mkdirWithDefaults(Hierarchy h, Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fillDefaults(h, dir);
    }

    /** What the kernel puts in a new cgroup: cgroup.procs, and the files of the hierarchy's controllers. */
    private void fillDefaults(Hierarchy h, Path dir) {
        if (!h.unified()) {
            writeRaw(dir.resolve("cgroup.procs"), "");
        }
        List<String> names = h.unified() ? List.of("unified") : new ArrayList<>(h.controllers());
        if (!h.unified() && h.key().startsWith("name=")) {
            names = List.of(h.key());
        }
        for (String n : names) {
            defaults.getOrDefault(n, Map.of()).forEach((f, v) -> writeRaw(dir.resolve(f), v));
        }
        if (h.unified()) {
            // what the parent has enabled is what this cgroup has
            String enabled = readRaw(dir.getParent().resolve("cgroup.subtree_control"));
            writeRaw(dir.resolve("cgroup.controllers"), enabled == null ? "" : enabled);
            if (enabled != null) {
                addV2Files(dir, new LinkedHashSet<>(Arrays.asList(enabled.trim().split("\\s+"))));
            }
        }
    }

    /** From now on the caller is an unprivileged user, who may write only what {@link #delegate} gives it. */
    public FakeCgroupTree asUnprivilegedUser() {
        userFiles = new LinkedHashSet<>();
        return this;
    }

    /**
     * An administrator's delegation of an existing cgroup ("unified/deleg"): the directory and its cgroup.procs,
     * cgroup.subtree_control and cgroup.threads chowned to the user. The other files stay root's.
     */
    public void delegate(String relative) {
        Path dir = root.resolve(relative);
        userFiles.add(dir);
        for (String f : List.of("cgroup.procs", "cgroup.subtree_control", "cgroup.threads")) {
            userFiles.add(dir.resolve(f));
        }
    }

    @Override
    public boolean isWritable(Path path) {
        if (userFiles == null || userFiles.contains(path)) {
            return true;
        }
        for (Path tree : userTrees) {
            if (path.startsWith(tree)) {
                return true;
            }
        }
        return false;
    }

    private void requireWritable(Path path) throws IOException {
        if (!isWritable(path)) {
            throw new AccessDeniedException(path.toString());
        }
    }

    /** Sets a file below the root (creating it): "memory/jrunc/c1/memory.stat". */
    public void write(String relative, String content) {
        writeRaw(root.resolve(relative), content);
    }

    public String read(String relative) {
        return readRaw(root.resolve(relative));
    }

    /** Makes writes of {@code value} (or of anything, when null) to the file fail {@code times} times with errno. */
    public void failWrite(String relative, String value, int errno, int times) {
        failures.put(root.resolve(relative) + "=" + (value == null ? "*" : value), errno * 1000 + times);
    }

    /** What the kernel makes of a value written to files named {@code fileName} (clamping, for instance). */
    public void storeAs(String fileName, UnaryOperator<String> f) {
        kernelValues.put(fileName, f);
    }

    /** Every successful write so far as "relative/path=value", in order. */
    public List<String> writes() {
        return writes;
    }

    /** The writes to files whose path below the root starts with {@code prefix}, with the prefix removed. */
    public List<String> writesUnder(String prefix) {
        List<String> out = new ArrayList<>();
        for (String w : writes) {
            if (w.startsWith(prefix)) {
                out.add(w.substring(prefix.length()));
            }
        }
        return out;
    }

    @Override
    public String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return Files.readString(file);
    }

    @Override
    public void write(Path file, String value) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        requireWritable(file);
        for (String key : List.of(file + "=" + value, file + "=*")) {
            Integer f = failures.get(key);
            if (f != null && f % 1000 > 0) {
                failures.put(key, f - 1);
                throw new IOException(Errno.strerror(f / 1000)); // java.io reports libc's text
            }
        }
        writes.add(root.relativize(file) + "=" + value);
        String name = file.getFileName().toString();
        if (name.equals("cgroup.subtree_control")) {
            subtreeControl(file, value);
        } else if (name.equals("cgroup.kill")) {
            killAll(file.getParent());
        } else {
            Files.writeString(
                    file,
                    kernelValues
                            .getOrDefault(file.getFileName().toString(), v -> v)
                            .apply(value));
        }
        if (name.equals("cgroup.freeze") && Files.isRegularFile(file.resolveSibling("cgroup.events"))) {
            String events = Files.readString(file.resolveSibling("cgroup.events"));
            Files.writeString(
                    file.resolveSibling("cgroup.events"),
                    events.replaceAll("(?m)^frozen \\d+$", "frozen " + value.trim()));
        }
    }

    /** cgroup.kill: every process of the cgroup and its descendants is gone. */
    private void killAll(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("cgroup.procs"))) {
            Files.writeString(dir.resolve("cgroup.procs"), "");
        }
        for (Path child : list(dir)) {
            if (Files.isDirectory(child)) {
                killAll(child);
            }
        }
    }

    /** "+c" adds c to the set, and to cgroup.controllers of every child directory. */
    private void subtreeControl(Path file, String value) throws IOException {
        Set<String> on =
                new LinkedHashSet<>(Arrays.asList(Files.readString(file).trim().split("\\s+")));
        on.remove("");
        for (String op : value.trim().split("\\s+")) {
            if (op.startsWith("+")) {
                on.add(op.substring(1));
            } else if (op.startsWith("-")) {
                on.remove(op.substring(1));
            }
        }
        String list = String.join(" ", on) + "\n";
        Files.writeString(file, list);
        try (Stream<Path> children = Files.list(file.getParent())) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (Files.isDirectory(child)) {
                    Files.writeString(child.resolve("cgroup.controllers"), list);
                    addV2Files(child, on);
                }
            }
        }
    }

    @Override
    public boolean exists(Path file) {
        return Files.exists(file);
    }

    @Override
    public boolean isDirectory(Path dir) {
        return Files.isDirectory(dir);
    }

    @Override
    public void makeDir(Path dir) throws IOException {
        requireWritable(dir.getParent());
        Files.createDirectory(dir);
        if (userFiles != null) {
            userTrees.add(dir);
        }
        for (Hierarchy h : layout().hierarchies()) {
            if (dir.startsWith(h.mountPoint())) {
                fillDefaults(h, dir);
            }
        }
    }

    @Override
    public void removeDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        requireWritable(dir.getParent());
        List<Path> entries = list(dir);
        String procs = readRaw(dir.resolve("cgroup.procs"));
        boolean busy = procs != null && !procs.isBlank();
        for (Path p : entries) {
            busy |= Files.isDirectory(p);
        }
        if (busy) {
            throw new IOException(Errno.strerror(Errno.EBUSY));
        }
        for (Path p : entries) {
            Files.delete(p);
        }
        Files.delete(dir);
        removed.add(root.relativize(dir).toString());
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** The cgroups removed so far, relative to the root, in order. */
    public List<String> removed() {
        return removed;
    }

    private static void writeRaw(Path p, String content) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readRaw(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }

    /** Records device programs instead of loading them. */
    public static final class RecordingInstaller implements DeviceFilter.Installer {
        public final List<String> dirs = new ArrayList<>();
        public final List<DeviceFilter.Program> programs = new ArrayList<>();

        @Override
        public void install(String cgroupDir, DeviceFilter.Program program) {
            dirs.add(cgroupDir);
            programs.add(program);
        }
    }
}
