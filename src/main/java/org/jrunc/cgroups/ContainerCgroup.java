package org.jrunc.cgroups;

import org.jrunc.sys.KernelFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.config.ConfigException;

/**
 * A container's cgroup: one directory per hierarchy, created on create and removed on delete. Placement of the
 * process happens through cgroup.procs descriptors the init writes to itself just before execve, so the init JVM is
 * never charged to the container's limits.
 */
public final class ContainerCgroup {
    /** Where containers with a relative (or no) linux.cgroupsPath go. */
    public static final String DEFAULT_PARENT = "/jrunc";

    private final CgroupLayout layout;
    private final String path;
    private final Map<String, String> dirs = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();

    public ContainerCgroup(CgroupLayout layout, String cgroupsPath, String containerId) {
        this.layout = layout;
        this.path = resolvePath(cgroupsPath, containerId);
        for (Hierarchy h : layout.hierarchies()) {
            dirs.put(h.key(), h.dirOf(path));
        }
    }

    /** An absolute cgroupsPath is used as is; a relative one goes under {@link #DEFAULT_PARENT}; none means the id. */
    static String resolvePath(String cgroupsPath, String id) {
        String p = cgroupsPath == null || cgroupsPath.isEmpty() ? id : cgroupsPath;
        if (p.contains(":") && !p.startsWith("/")) {
            throw new ConfigException("config.json: field linux.cgroupsPath: \"" + p
                    + "\" is in systemd slice:prefix:name form, which needs --systemd-cgroup (not supported)");
        }
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                throw new ConfigException("config.json: field linux.cgroupsPath: \"" + p + "\" must not contain \"..\"");
            }
        }
        return p.startsWith("/") ? p : DEFAULT_PARENT + "/" + p;
    }

    public String path() {
        return path;
    }

    /** Directories by hierarchy key, as recorded in state.json. */
    public Map<String, String> dirs() {
        return dirs;
    }

    public List<String> createdDirs() {
        return created;
    }

    public CgroupLayout layout() {
        return layout;
    }

    /** mkdir -p in every hierarchy, remembering what was new (deepest last) so a failed create can undo exactly that. */
    public void create() {
        for (Hierarchy h : layout.hierarchies()) {
            Path dir = Path.of(h.dirOf(path));
            List<Path> missing = new ArrayList<>();
            for (Path p = dir; p != null && !p.toString().equals(h.mountPoint()) && !Files.isDirectory(p); p = p.getParent()) {
                missing.add(0, p);
            }
            for (Path p : missing) {
                try {
                    Files.createDirectory(p);
                } catch (IOException e) {
                    throw new JruncException("cannot create cgroup " + p + ": " + e.getMessage());
                }
                created.add(p.toString());
                if (h.controllers().contains("cpuset")) {
                    inheritCpuset(p);
                }
            }
        }
    }

    /** A v1 cpuset cgroup accepts no task until cpus and mems are set; copy them from the parent like the kernel's clone_children. */
    private static void inheritCpuset(Path dir) {
        for (String f : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            try {
                String own = KernelFiles.read(dir.resolve(f)).trim();
                if (own.isEmpty()) {
                    KernelFiles.write(dir.resolve(f), KernelFiles.read(dir.getParent().resolve(f)).trim());
                }
            } catch (IOException e) {
                throw new JruncException("cannot initialise " + dir.resolve(f) + ": " + e.getMessage());
            }
        }
    }

    /** Removes the given directories, deepest first; a cgroup with processes left in it is an error. */
    public static void remove(List<String> createdDirs) {
        List<String> order = new ArrayList<>(createdDirs);
        order.sort((a, b) -> Integer.compare(b.length(), a.length()));
        List<String> failures = new ArrayList<>();
        for (String d : order) {
            Path p = Path.of(d);
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.deleteIfExists(p);
                    break;
                } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                    // a sub-cgroup created by the container itself, or gone already
                    if (!removeChildren(p) || attempt > 0) {
                        failures.add(d + ": not empty");
                        break;
                    }
                } catch (IOException e) {
                    // EBUSY: a process has not finished leaving yet
                    if (attempt >= 50) {
                        failures.add(d + ": " + e.getMessage());
                        break;
                    }
                    sleep(10);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new JruncException("cannot remove cgroup " + String.join(", ", failures));
        }
    }

    private static boolean removeChildren(Path dir) {
        try (var s = Files.list(dir)) {
            for (Path child : (Iterable<Path>) s::iterator) {
                if (Files.isDirectory(child)) {
                    removeChildren(child);
                    Files.deleteIfExists(child);
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pids in the container's cgroup (from the first hierarchy that has the directory). */
    public static List<Integer> pids(Map<String, String> dirs) {
        List<Integer> pids = new ArrayList<>();
        for (String dir : dirs.values()) {
            Path procs = Path.of(dir, "cgroup.procs");
            if (!Files.exists(procs)) {
                continue;
            }
            try {
                for (String line : KernelFiles.read(procs).split("\n")) {
                    if (!line.isBlank()) {
                        pids.add(Integer.parseInt(line.trim()));
                    }
                }
                return pids;
            } catch (IOException e) {
                // try the next hierarchy
            }
        }
        return pids;
    }
}
