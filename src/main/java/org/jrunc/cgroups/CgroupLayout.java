package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.sys.KernelFiles;

/**
 * The cgroup hierarchies of this host, read from /proc/self/mountinfo: pure v2 (one cgroup2 mount at /sys/fs/cgroup),
 * hybrid (v1 controllers plus a cgroup2 mount, usually /sys/fs/cgroup/unified, as on this project's machines), or
 * legacy v1 only. Detected at run time; no layout is refused.
 */
public final class CgroupLayout {
    private final List<Hierarchy> hierarchies;

    CgroupLayout(List<Hierarchy> hierarchies) {
        this.hierarchies = hierarchies;
    }

    public static CgroupLayout detect() {
        try {
            return parse(
                    List.of(KernelFiles.read(Path.of("/proc/self/mountinfo")).split("\n")));
        } catch (IOException e) {
            throw new JruncException("cannot read /proc/self/mountinfo: " + e.getMessage());
        }
    }

    static CgroupLayout parse(List<String> mountinfo) {
        Map<String, Hierarchy> byMount = new LinkedHashMap<>();
        for (String line : mountinfo) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) {
                continue;
            }
            String fsType = post[0];
            String root = unescape(pre[3]);
            String mountPoint = unescape(pre[4]);
            if (fsType.equals("cgroup2")) {
                byMount.put(mountPoint, new Hierarchy("unified", true, List.of(), mountPoint, root));
            } else if (fsType.equals("cgroup")) {
                List<String> controllers = new ArrayList<>();
                String name = null;
                for (String opt : post[2].split(",")) {
                    if (opt.startsWith("name=")) {
                        name = opt;
                    } else if (!opt.equals("rw")
                            && !opt.equals("ro")
                            && !opt.contains("=")
                            && !opt.equals("clone_children")
                            && !opt.equals("noprefix")
                            && !opt.equals("xattr")) {
                        controllers.add(opt);
                    }
                }
                String key = name != null ? name : String.join(",", controllers);
                if (!key.isEmpty()) {
                    byMount.put(mountPoint, new Hierarchy(key, false, controllers, mountPoint, root));
                }
            }
        }
        // a hierarchy mounted twice (bind mounts) counts once: keep the first mount of each key
        Map<String, Hierarchy> byKey = new LinkedHashMap<>();
        for (Hierarchy h : byMount.values()) {
            byKey.putIfAbsent(h.key(), h);
        }
        return new CgroupLayout(new ArrayList<>(byKey.values()));
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ")
                .replace("\\011", "\t")
                .replace("\\012", "\n")
                .replace("\\134", "\\");
    }

    public List<Hierarchy> hierarchies() {
        return hierarchies;
    }

    /** Only the v2 unified hierarchy is mounted. */
    public boolean isUnifiedOnly() {
        return hierarchies.size() == 1 && hierarchies.get(0).unified();
    }

    public Hierarchy unified() {
        for (Hierarchy h : hierarchies) {
            if (h.unified()) {
                return h;
            }
        }
        return null;
    }

    /** The v1 hierarchy carrying {@code controller}, or null. */
    public Hierarchy v1(String controller) {
        for (Hierarchy h : hierarchies) {
            if (!h.unified() && h.controllers().contains(controller)) {
                return h;
            }
        }
        return null;
    }

    /** This process's own cgroup path in each hierarchy, from /proc/self/cgroup. */
    public Map<String, String> ownPaths() {
        try {
            return parseProcCgroup(
                    List.of(KernelFiles.read(Path.of("/proc/self/cgroup")).split("\n")));
        } catch (IOException e) {
            throw new JruncException("cannot read /proc/self/cgroup: " + e.getMessage());
        }
    }

    static Map<String, String> parseProcCgroup(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            out.put(f[1].isEmpty() ? "unified" : f[1], f[2]);
        }
        return out;
    }
}
