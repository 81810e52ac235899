package org.jrunc.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.hooks.HookSpec;
import org.jrunc.json.Json;
import org.jrunc.json.JsonWriter;

/**
 * What jrunc keeps in ROOT/ID/state.json: enough for state, start, kill and delete to work without reading the bundle
 * again (config.json may change after create; the runtime-spec says that must not affect the container).
 * It is read and written with {@link Json}, never jackson, to keep those commands light.
 */
public final class ContainerRecord {
    public String id;
    public String ociVersion = "";
    public String bundle = "";
    public String rootfs = "";
    public String created = "";
    public String owner = "";
    public Map<String, String> annotations = new LinkedHashMap<>();
    /** The container's init process as the host sees it; 0 until it has been started. */
    public int initPid;

    public long initStartTicks;
    /** The `create` (or `run`) process while the container is being created. */
    public int creatorPid;

    public long creatorStartTicks;
    /** cgroup directories by hierarchy ("unified" or a v1 controller name), for freezer, kill --all and delete. */
    public Map<String, String> cgroupPaths = new LinkedHashMap<>();
    /**
     * cgroup directories delete removes: those the create made, and the parents below jrunc's default parent, which go
     * with the last container below them (ContainerCgroup.createdDirs).
     */
    public List<String> createdCgroups = new ArrayList<>();
    /**
     * The systemd unit the cgroup is (--systemd-cgroup), e.g. "jrunc-ID.scope"; "" for cgroupfs. update sets its
     * properties and delete stops it; the other operations use cgroupPaths alone.
     */
    public String systemdUnit = "";

    public List<HookSpec> poststartHooks = new ArrayList<>();
    public List<HookSpec> poststopHooks = new ArrayList<>();
    /** The attach monitor of a container created with --attachable (0: none), see org.jrunc.monitor. */
    public int monitorPid;

    public long monitorStartTicks;
    /** {@link #mountNamespace} of a container without a mount namespace in linux.namespaces: the runtime's. */
    public static final String INHERITED = "inherited";
    /** {@link #mountNamespace} of a container that joins one by path. */
    public static final String JOINED = "joined";
    /**
     * Empty for a container with a new mount namespace; else {@link #INHERITED} or {@link #JOINED}: it shares that
     * namespace, and its init entered the rootfs with chroot (exec does the same).
     */
    public String mountNamespace = "";
    /**
     * For {@link #INHERITED}: the ids of the mounts at or below the rootfs before create, as /proc/self/mountinfo
     * numbers them. Every other mount there is the container's and goes at delete.
     */
    public List<String> rootfsMountsBefore = new ArrayList<>();

    /** Set once create has finished successfully. */
    public boolean createComplete;

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("ociVersion", ociVersion);
        m.put("bundle", bundle);
        m.put("rootfs", rootfs);
        m.put("created", created);
        m.put("owner", owner);
        m.put("annotations", annotations);
        m.put("initPid", (long) initPid);
        m.put("initStartTicks", initStartTicks);
        m.put("creatorPid", (long) creatorPid);
        m.put("creatorStartTicks", creatorStartTicks);
        m.put("cgroupPaths", cgroupPaths);
        m.put("createdCgroups", createdCgroups);
        if (!systemdUnit.isEmpty()) {
            m.put("systemdUnit", systemdUnit);
        }
        m.put("poststartHooks", hooksToJson(poststartHooks));
        m.put("poststopHooks", hooksToJson(poststopHooks));
        m.put("createComplete", createComplete);
        if (!mountNamespace.isEmpty()) {
            m.put("mountNamespace", mountNamespace);
            m.put("rootfsMountsBefore", rootfsMountsBefore);
        }
        if (monitorPid > 0) {
            m.put("monitorPid", (long) monitorPid);
            m.put("monitorStartTicks", monitorStartTicks);
        }
        return JsonWriter.compact(m);
    }

    public static ContainerRecord fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        ContainerRecord r = new ContainerRecord();
        r.id = str(m, "id");
        r.ociVersion = str(m, "ociVersion");
        r.bundle = str(m, "bundle");
        r.rootfs = str(m, "rootfs");
        r.created = str(m, "created");
        r.owner = str(m, "owner");
        r.annotations = strMap(m.get("annotations"));
        r.initPid = (int) num(m, "initPid");
        r.initStartTicks = num(m, "initStartTicks");
        r.creatorPid = (int) num(m, "creatorPid");
        r.creatorStartTicks = num(m, "creatorStartTicks");
        r.cgroupPaths = strMap(m.get("cgroupPaths"));
        r.createdCgroups = strList(m.get("createdCgroups"));
        r.systemdUnit = str(m, "systemdUnit");
        r.poststartHooks = hooksFromJson(m.get("poststartHooks"));
        r.poststopHooks = hooksFromJson(m.get("poststopHooks"));
        r.createComplete = Boolean.TRUE.equals(m.get("createComplete"));
        r.mountNamespace = str(m, "mountNamespace");
        r.rootfsMountsBefore = strList(m.get("rootfsMountsBefore"));
        r.monitorPid = (int) num(m, "monitorPid");
        r.monitorStartTicks = num(m, "monitorStartTicks");
        return r;
    }

    private static List<Object> hooksToJson(List<HookSpec> hooks) {
        List<Object> out = new ArrayList<>();
        for (HookSpec h : hooks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", h.path());
            m.put("args", h.args());
            m.put("env", h.env());
            m.put("timeout", (long) h.timeoutSeconds());
            out.add(m);
        }
        return out;
    }

    private static List<HookSpec> hooksFromJson(Object o) {
        List<HookSpec> hooks = new ArrayList<>();
        if (o instanceof List) {
            for (Object e : (List<?>) o) {
                Map<?, ?> h = (Map<?, ?>) e;
                Object env = h.get("env");
                hooks.add(new HookSpec(
                        (String) h.get("path"), strList(h.get("args")), env == null ? null : strList(env), (int)
                                (long) (Long) h.get("timeout")));
            }
        }
        return hooks;
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }

    private static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }

    private static Map<String, String> strMap(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                out.put(e.getKey().toString(), String.valueOf(e.getValue()));
            }
        }
        return out;
    }

    private static List<String> strList(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List) {
            for (Object e : (List<?>) o) {
                out.add(String.valueOf(e));
            }
        }
        return out;
    }
}
