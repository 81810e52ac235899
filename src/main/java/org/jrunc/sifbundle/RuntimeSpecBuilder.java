package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.config.SpecTemplate;

/**
 * The bundle's config.json: runc's template ({@link SpecTemplate}) adapted to run an image, the way `singularity
 * oci mount` does: the image's Entrypoint + Cmd, Env, WorkingDir and User, its Volumes bind-mounted from
 * BUNDLE/volumes, the mounted rootfs (writable through the overlay), a terminal (Singularity's default config:
 * `singularity oci create` and `jrunc create --attachable` give it one, a plain detached `create` needs
 * --console-socket), the namespaces pid, ipc, uts, mount and network, and Docker's default
 * capabilities: images expect root in them to chown, setuid or bind low ports like under Docker, Singularity and
 * Apptainer, which runc's three-capability template would refuse. Every path in it is relative to the bundle, as
 * the runtime-spec allows for root.path and bind sources, so that the bundle still runs when it is moved or copied.
 *
 * <p>For an unprivileged caller the config must run rootless, so it starts from runc's `spec --rootless` template
 * (no cgroup limits, /sys bind-mounted, no uid=/gid= mount options) and adds a user namespace whose container root is
 * the caller, as `spec --rootless` maps it and as Singularity 4's `--oci` mode runs an image as the calling user.
 * squashfuse presents every file of the image as the caller's ({@link FuseMountDriver}), so inside they belong to
 * root, which may write anywhere in the overlay. That single mapping of the caller's own ids needs no setuid helper
 * and no /etc/subuid. An image whose User is not root needs more ids than that: the container's root stays the
 * caller and ids 1 and up map onto the caller's first /etc/subuid and /etc/subgid ranges (podman's rootless layout;
 * Singularity maps its ranges the same way but one namespace further out). Without a range that covers the image's
 * User, mount refuses, naming the User and the file. There is no network namespace: the container shares the host's,
 * as `runc spec --rootless` and Singularity's `--oci` mode for a user do (Singularity adds one only for `--network
 * none`), since a new one would hold only a loopback that an unprivileged runtime cannot connect.
 */
final class RuntimeSpecBuilder {
    /** What Singularity runs for a native image that records no command. */
    static final String SINGULARITY_RUN = "/.singularity.d/actions/run";
    /** Singularity 4's fallback command when an image has neither a command nor a run script. */
    static final List<String> FALLBACK_ARGS = List.of("/bin/sh");

    static final List<String> CAPABILITIES = List.of(
            "CAP_CHOWN",
            "CAP_DAC_OVERRIDE",
            "CAP_FSETID",
            "CAP_FOWNER",
            "CAP_MKNOD",
            "CAP_NET_RAW",
            "CAP_SETGID",
            "CAP_SETUID",
            "CAP_SETFCAP",
            "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT",
            "CAP_KILL",
            "CAP_AUDIT_WRITE");
    static final List<String> NAMESPACES = List.of("pid", "ipc", "uts", "mount", "network");
    static final List<String> ROOTLESS_NAMESPACES = List.of("pid", "ipc", "uts", "mount", "user");

    private RuntimeSpecBuilder() {}

    /** {@code where} names the image config in messages about its User field. */
    static Map<String, Object> build(ImageConfig image, RootfsFiles files, String where, Caller caller) {
        Map<String, Object> spec = caller.isRoot()
                ? SpecTemplate.create()
                : SpecTemplate.create(true, caller.ids().uid(), caller.ids().gid());
        Map<String, Object> process = child(spec, "process");
        process.put("terminal", true);
        process.put("args", args(image, files));
        process.put("env", env(listOf(process.get("env")), image.env()));
        process.put("cwd", image.workingDir().isEmpty() ? "/" : image.workingDir());
        ImageUser user = ImageUser.resolve(image.user(), files, where);
        process.put("user", map("uid", user.uid(), "gid", user.gid()));
        process.put(
                "capabilities", map("bounding", CAPABILITIES, "effective", CAPABILITIES, "permitted", CAPABILITIES));
        spec.put("root", map("path", BundleLayout.ROOTFS.toString(), "readonly", false));
        List<Object> mounts = new ArrayList<>(listOf(spec.get("mounts")));
        for (Volume v : image.volumes()) {
            mounts.add(map(
                    "destination",
                    v.destination(),
                    "type",
                    "bind",
                    "source",
                    v.directory().toString(),
                    "options",
                    List.of("rbind", "rw")));
        }
        spec.put("mounts", mounts);
        List<Object> namespaces = new ArrayList<>();
        (caller.isRoot() ? NAMESPACES : ROOTLESS_NAMESPACES).forEach(ns -> namespaces.add(map("type", ns)));
        Map<String, Object> linux = child(spec, "linux");
        linux.put("namespaces", namespaces);
        if (!caller.isRoot()) {
            String field = where + ": User \"" + Shown.of(image.user()) + "\"";
            linux.put("uidMappings", mappings(caller, "uid", user.uid(), field));
            linux.put("gidMappings", mappings(caller, "gid", user.gid(), field));
        }
        return spec;
    }

    /**
     * The caller's own id as the container's 0; for a process {@code id} other than 0, also 1 and up onto the
     * caller's subordinate range, which must reach that id.
     */
    static List<Object> mappings(Caller caller, String kind, long id, String field) {
        boolean uid = kind.equals("uid");
        long own = uid ? caller.ids().uid() : caller.ids().gid();
        Optional<SubordinateRange> range = uid ? caller.subuids() : caller.subgids();
        Path file = uid ? Caller.SUBUID : Caller.SUBGID;
        Map<String, Object> root = map("containerID", 0, "hostID", own, "size", 1);
        if (id == 0) {
            return List.of(root);
        }
        SubordinateRange r = range.orElseThrow(() -> new JruncException(field + " runs as " + kind + " " + id
                + ", which an unprivileged user can map only from a subordinate range, and " + file
                + " has none for " + Shown.of(caller.name())));
        if (id > r.count()) {
            throw new JruncException(field + " runs as " + kind + " " + id + ", beyond the range " + r + " of "
                    + Shown.of(caller.name()) + " (container " + kind + "s 1 to " + r.count() + ")");
        }
        return List.of(root, map("containerID", 1, "hostID", r.start(), "size", r.count()));
    }

    /** Entrypoint + Cmd as Docker joins them; else the Singularity run script when the image has one. */
    static List<String> args(ImageConfig image, RootfsFiles files) {
        List<String> args = new ArrayList<>(image.entrypoint());
        args.addAll(image.cmd());
        if (!args.isEmpty()) {
            return args;
        }
        return files.exists(SINGULARITY_RUN) ? List.of(SINGULARITY_RUN) : FALLBACK_ARGS;
    }

    /**
     * The template's variables with the image's laid over them: an image variable replaces the template's of the
     * same name in place (the image's PATH wins, as with Docker and podman), new ones are appended in image order.
     */
    static List<String> env(List<Object> template, List<String> image) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Object o : template) {
            put(merged, (String) o);
        }
        image.forEach(e -> put(merged, e));
        return merged.values().stream().toList();
    }

    private static void put(Map<String, String> env, String entry) {
        env.put(entry.substring(0, entry.indexOf('=')), entry);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> spec, String key) {
        return (Map<String, Object>) spec.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> listOf(Object value) {
        return (List<Object>) value;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
