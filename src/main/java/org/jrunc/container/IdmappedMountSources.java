package org.jrunc.container;

import static org.jrunc.sys.Flags.O_CLOEXEC;
import static org.jrunc.sys.Flags.O_RDONLY;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.config.IdMapping;
import org.jrunc.namespaces.MappedUserNamespace;
import org.jrunc.rootfs.IdmappedMount;
import org.jrunc.rootfs.IdmappedTrees;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * `create`'s host-side part of the idmapped bind mounts: before the init is spawned, each one becomes a detached,
 * idmapped tree ({@link IdmappedTrees}) that the init inherits and moves onto its destination. Made here rather than
 * in the init because only the host's root may map a disk filesystem's ids, and an init in a user namespace is not
 * that; the sources are host paths, resolved in the runtime's mount namespace, which the container's is a copy of.
 * One user namespace is made per distinct mapping and closed once the trees hold it.
 */
final class IdmappedMountSources {
    private IdmappedMountSources() {}

    /** Per mounts[] entry, the tree's descriptor or -1; {@code keep} remembers each for the attempt's clean-up. */
    static int[] prepare(Syscalls sys, List<IdmappedMount> mounts, int mountCount, Keeper keep) {
        if (mounts.isEmpty()) {
            return new int[0];
        }
        int[] sources = new int[mountCount];
        Arrays.fill(sources, -1);
        Map<String, Integer> namespaces = new LinkedHashMap<>();
        try {
            for (IdmappedMount m : mounts) {
                int userns = userNamespace(sys, m, namespaces);
                sources[m.index()] = keep.keep(IdmappedTrees.detach(sys, m, userns));
            }
        } finally {
            for (int fd : namespaces.values()) {
                sys.close(fd);
            }
        }
        return sources;
    }

    /** Remembers a descriptor to close when the attempt ends; returns it. */
    interface Keeper {
        int keep(int fd);
    }

    private static int userNamespace(Syscalls sys, IdmappedMount m, Map<String, Integer> made) {
        String key = m.userNamespace() != null
                ? "path " + m.userNamespace()
                : "maps " + text(m.uidMappings()) + " / " + text(m.gidMappings());
        Integer fd = made.get(key);
        if (fd != null) {
            return fd;
        }
        int opened;
        try {
            opened = m.userNamespace() != null
                    ? sys.open(m.userNamespace(), O_RDONLY | O_CLOEXEC, 0)
                    : MappedUserNamespace.open(sys, m.uidMappings(), m.gidMappings());
        } catch (SyscallException e) {
            throw new JruncException(m.name() + ": user namespace for its id mapping: " + e.getMessage());
        } catch (JruncException e) {
            throw new JruncException(m.name() + ": " + e.getMessage());
        }
        made.put(key, opened);
        return opened;
    }

    private static String text(List<IdMapping> map) {
        StringBuilder b = new StringBuilder();
        for (IdMapping e : map) {
            b.append(e.containerID())
                    .append(':')
                    .append(e.hostID())
                    .append(':')
                    .append(e.size())
                    .append(' ');
        }
        return b.toString();
    }
}
