package org.jrunc.rootfs;

import java.util.List;
import org.jrunc.config.IdMapping;

/**
 * A bind mount of config.json whose ids are mapped (MOUNT_ATTR_IDMAP): mount uidMappings/gidMappings, or the options
 * "idmap" (the mount itself) and "ridmap" (every mount of an rbind tree). The runtime prepares it on the host as a
 * detached tree ({@link IdmappedTrees}), which the init moves onto the destination.
 *
 * @param index its position in mounts[], for errors and for the init's descriptor
 * @param source the host path, absolute
 * @param recursiveTree an rbind: the tree is cloned with its submounts
 * @param recursive "ridmap": the submounts get the mapping too
 * @param uidMappings the mapping, from the mount's fields or the container's new user namespace; null with
 *     {@code userNamespace}
 * @param userNamespace the path of the user namespace the container joins, whose mapping "idmap" without mappings of
 *     its own takes; null otherwise
 */
public record IdmappedMount(
        int index,
        String destination,
        String source,
        boolean recursiveTree,
        boolean recursive,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        String userNamespace) {

    /** "mounts[i] /destination", as the init names a mount in its errors. */
    public String name() {
        return "mounts[" + index + "] " + destination;
    }
}
