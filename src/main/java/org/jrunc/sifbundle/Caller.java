package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.Optional;
import org.jrunc.namespaces.SubordinateIds;
import org.jrunc.sys.EffectiveIds;

/**
 * Who runs `jrunc mount`: root gets the kernel's loop devices and a config for root; anyone else (a plain effective
 * uid check: the mount command needs no more of rootless detection) gets squashfuse and fuse-overlayfs, and a config
 * with a user namespace of its own ids and, when the image's user needs them, its subordinate ranges.
 */
record Caller(EffectiveIds ids, String name, Optional<SubordinateRange> subuids, Optional<SubordinateRange> subgids) {
    static final Caller ROOT = new Caller(EffectiveIds.ROOT, "root", Optional.empty(), Optional.empty());
    static final Path SUBUID = SubordinateIds.SUBUID;
    static final Path SUBGID = SubordinateIds.SUBGID;

    static Caller current() {
        EffectiveIds ids = EffectiveIds.current();
        if (ids.isRoot()) {
            return ROOT;
        }
        // the JVM looks user.name up in the password database by uid, so $USER does not change it
        String name = System.getProperty("user.name", Long.toString(ids.uid()));
        return new Caller(
                ids,
                name,
                SubordinateRange.first(SUBUID, name, ids.uid()),
                SubordinateRange.first(SUBGID, name, ids.gid()));
    }

    boolean isRoot() {
        return ids.isRoot();
    }
}
