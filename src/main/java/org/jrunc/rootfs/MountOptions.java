package org.jrunc.rootfs;

import static org.jrunc.sys.MountFlags.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jrunc.config.ConfigException;
import org.jrunc.config.IdMapping;
import org.jrunc.config.Mount;

/**
 * Turns config.json mount options into a {@link MountPlan}, with mount(8)'s names (config.md "Mounts", Linux table).
 * Options the kernel does not know as flags go into the data string, as the spec says they SHOULD.
 */
public final class MountOptions {
    /** option -> {flag, 1 to set or 0 to clear}. */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("async", new long[] {MS_SYNCHRONOUS, 0}),
            Map.entry("atime", new long[] {MS_NOATIME, 0}),
            Map.entry("bind", new long[] {MS_BIND, 1}),
            Map.entry("defaults", new long[] {0, 1}),
            Map.entry("dev", new long[] {MS_NODEV, 0}),
            Map.entry("diratime", new long[] {MS_NODIRATIME, 0}),
            Map.entry("dirsync", new long[] {MS_DIRSYNC, 1}),
            Map.entry("exec", new long[] {MS_NOEXEC, 0}),
            Map.entry("iversion", new long[] {MS_I_VERSION, 1}),
            Map.entry("lazytime", new long[] {MS_LAZYTIME, 1}),
            Map.entry("loud", new long[] {MS_SILENT, 0}),
            Map.entry("mand", new long[] {MS_MANDLOCK, 1}),
            Map.entry("noatime", new long[] {MS_NOATIME, 1}),
            Map.entry("nodev", new long[] {MS_NODEV, 1}),
            Map.entry("nodiratime", new long[] {MS_NODIRATIME, 1}),
            Map.entry("noexec", new long[] {MS_NOEXEC, 1}),
            Map.entry("noiversion", new long[] {MS_I_VERSION, 0}),
            Map.entry("nolazytime", new long[] {MS_LAZYTIME, 0}),
            Map.entry("nomand", new long[] {MS_MANDLOCK, 0}),
            Map.entry("norelatime", new long[] {MS_RELATIME, 0}),
            Map.entry("nostrictatime", new long[] {MS_STRICTATIME, 0}),
            Map.entry("nosuid", new long[] {MS_NOSUID, 1}),
            Map.entry("nosymfollow", new long[] {MS_NOSYMFOLLOW, 1}),
            Map.entry("rbind", new long[] {MS_BIND | MS_REC, 1}),
            Map.entry("relatime", new long[] {MS_RELATIME, 1}),
            Map.entry("remount", new long[] {MS_REMOUNT, 1}),
            Map.entry("ro", new long[] {MS_RDONLY, 1}),
            Map.entry("rw", new long[] {MS_RDONLY, 0}),
            Map.entry("silent", new long[] {MS_SILENT, 1}),
            Map.entry("strictatime", new long[] {MS_STRICTATIME, 1}),
            Map.entry("suid", new long[] {MS_NOSUID, 0}),
            Map.entry("symfollow", new long[] {MS_NOSYMFOLLOW, 0}),
            Map.entry("sync", new long[] {MS_SYNCHRONOUS, 1}));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private",
            MS_PRIVATE,
            "rprivate",
            MS_PRIVATE | MS_REC,
            "shared",
            MS_SHARED,
            "rshared",
            MS_SHARED | MS_REC,
            "slave",
            MS_SLAVE,
            "rslave",
            MS_SLAVE | MS_REC,
            "unbindable",
            MS_UNBINDABLE,
            "runbindable",
            MS_UNBINDABLE | MS_REC);

    /** recursive option -> {attribute, 1 to set or 0 to clear}; atime values are a field, handled in apply(). */
    private static final Map<String, long[]> REC_ATTRS = Map.ofEntries(
            Map.entry("rro", new long[] {MOUNT_ATTR_RDONLY, 1}),
            Map.entry("rrw", new long[] {MOUNT_ATTR_RDONLY, 0}),
            Map.entry("rnosuid", new long[] {MOUNT_ATTR_NOSUID, 1}),
            Map.entry("rsuid", new long[] {MOUNT_ATTR_NOSUID, 0}),
            Map.entry("rnodev", new long[] {MOUNT_ATTR_NODEV, 1}),
            Map.entry("rdev", new long[] {MOUNT_ATTR_NODEV, 0}),
            Map.entry("rnoexec", new long[] {MOUNT_ATTR_NOEXEC, 1}),
            Map.entry("rexec", new long[] {MOUNT_ATTR_NOEXEC, 0}),
            Map.entry("rnodiratime", new long[] {MOUNT_ATTR_NODIRATIME, 1}),
            Map.entry("rdiratime", new long[] {MOUNT_ATTR_NODIRATIME, 0}),
            Map.entry("rnosymfollow", new long[] {MOUNT_ATTR_NOSYMFOLLOW, 1}),
            Map.entry("rsymfollow", new long[] {MOUNT_ATTR_NOSYMFOLLOW, 0}));

    private static final Map<String, Long> REC_ATIME = Map.of(
            "rrelatime", MOUNT_ATTR_RELATIME,
            "rnoatime", MOUNT_ATTR_NOATIME,
            "rstrictatime", MOUNT_ATTR_STRICTATIME);

    private static final String IDMAP = "idmap";
    private static final String RIDMAP = "ridmap";

    private MountOptions() {}

    private static boolean isIdmapOption(String opt) {
        return opt.equals(IDMAP) || opt.equals(RIDMAP);
    }

    /**
     * The idmapped-mount request of a mount, or null (config.md: uidMappings/gidMappings and the "idmap"/"ridmap"
     * options): "ridmap" maps every mount of the tree, "idmap" or mappings alone the mount itself (runc's and crun's
     * reading). Mappings left out take those of the container's user namespace: new ones ({@code containerUids},
     * {@code containerGids}) or the one joined at {@code joinedUserNamespace}; without a user namespace there are none,
     * and the mount is refused, as runc refuses it.
     */
    public static IdmappedMount idmap(
            Mount m,
            MountPlan plan,
            int index,
            List<IdMapping> containerUids,
            List<IdMapping> containerGids,
            String joinedUserNamespace) {
        String where = "config.json: field mounts[" + index + "]";
        boolean recursive = false;
        String option = null;
        for (String opt : m.optionsOrEmpty()) {
            if (isIdmapOption(opt)) {
                option = opt;
                recursive = opt.equals(RIDMAP);
            }
        }
        boolean mapped = m.uidMappings() != null || m.gidMappings() != null;
        if (option == null && !mapped) {
            return null;
        }
        if (!plan.isBind()) {
            throw new ConfigException(where + ": idmapped mounts (uidMappings, gidMappings, idmap, ridmap) are only "
                    + "supported for bind mounts");
        }
        List<IdMapping> uids = m.uidMappings();
        List<IdMapping> gids = m.gidMappings();
        String userns = null;
        if (mapped) {
            checkMappings(uids, where + ".uidMappings");
            checkMappings(gids, where + ".gidMappings");
        } else if (containerUids != null && !containerUids.isEmpty()) {
            uids = containerUids;
            gids = containerGids;
        } else if (joinedUserNamespace != null) {
            userns = joinedUserNamespace;
        } else {
            throw new ConfigException(where + ".options: \"" + option + "\" without uidMappings and gidMappings "
                    + "takes the mappings of the container's user namespace, and the container has none");
        }
        return new IdmappedMount(
                index, plan.destination(), plan.source(), plan.isRecursiveBind(), recursive, uids, gids, userns);
    }

    private static void checkMappings(List<IdMapping> map, String field) {
        if (map == null || map.isEmpty()) {
            throw new ConfigException(
                    "config.json: field " + field + ": an idmapped mount needs both uidMappings and gidMappings");
        }
        for (int i = 0; i < map.size(); i++) {
            IdMapping e = map.get(i);
            if (e.containerID() == null || e.hostID() == null || e.size() == null || e.size() <= 0) {
                throw new ConfigException("config.json: field " + field + "[" + i
                        + "]: containerID, hostID and size must be set, and size above 0");
            }
        }
    }

    /** The recursive and propagation option names, for `features`. */
    public static List<String> knownOptions() {
        List<String> all = new ArrayList<>(FLAGS.keySet());
        all.addAll(PROPAGATION.keySet());
        all.addAll(REC_ATTRS.keySet());
        all.addAll(REC_ATIME.keySet());
        all.add("tmpcopyup");
        all.add(IDMAP);
        all.add(RIDMAP);
        Collections.sort(all);
        return all;
    }

    public static MountPlan parse(Mount m, int index) {
        String where = "config.json: field mounts[" + index + "]";
        if (m.destination() == null || m.destination().isEmpty()) {
            throw new ConfigException(where + ".destination: must be set");
        }
        if (!m.destination().startsWith("/")) {
            throw new ConfigException(
                    where + ".destination: must be an absolute path, got \"" + m.destination() + "\"");
        }
        long flags = 0;
        long cleared = 0;
        long propagation = 0;
        long recSet = 0;
        long recClr = 0;
        boolean copyUp = false;
        List<String> data = new ArrayList<>();
        for (String opt : m.optionsOrEmpty()) {
            long[] f = FLAGS.get(opt);
            Long prop = PROPAGATION.get(opt);
            long[] rec = REC_ATTRS.get(opt);
            Long atime = REC_ATIME.get(opt);
            if (f != null) {
                if (f[1] == 1) {
                    flags |= f[0];
                    cleared &= ~f[0];
                } else {
                    flags &= ~f[0];
                    cleared |= f[0];
                }
            } else if (prop != null) {
                propagation = prop;
            } else if (rec != null) {
                if (rec[1] == 1) {
                    recSet |= rec[0];
                    recClr &= ~rec[0];
                } else {
                    recClr |= rec[0];
                    recSet &= ~rec[0];
                }
            } else if (atime != null) {
                recClr |= MOUNT_ATTR__ATIME;
                recSet = (recSet & ~MOUNT_ATTR__ATIME) | atime;
            } else if (opt.equals("tmpcopyup")) {
                copyUp = true;
            } else if (isIdmapOption(opt)) {
                // not a mount(2) flag: the runtime maps the tree before the init mounts it (see idmap())
                continue;
            } else {
                data.add(opt);
            }
        }
        String type = m.type() == null ? "" : m.type();
        if (type.equals("bind")) {
            // "type": "bind" without a bind option still means a bind mount (runc treats it that way)
            flags |= MS_BIND;
        }
        if ((flags & MS_BIND) != 0 && (m.source() == null || m.source().isEmpty())) {
            throw new ConfigException(where + ".source: a bind mount needs a source");
        }
        if (copyUp && !type.equals("tmpfs")) {
            throw new ConfigException(where + ".options: tmpcopyup is only valid for tmpfs mounts");
        }
        return MountPlan.builder()
                .source(m.source() == null ? "" : m.source())
                .destination(m.destination())
                .type(type)
                .flags(flags)
                .clearedFlags(cleared)
                .propagation(propagation)
                .data(String.join(",", data))
                .recAttrSet(recSet)
                .recAttrClr(recClr)
                .tmpcopyup(copyUp)
                .build();
    }

    /** rootfsPropagation: "" means the default (rslave for the host side, as runc). */
    public static long parseRootPropagation(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        Long p = PROPAGATION.get(value);
        if (p == null) {
            throw new ConfigException("config.json: field linux.rootfsPropagation: unknown value \"" + value + "\"");
        }
        return p;
    }
}
