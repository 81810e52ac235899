package org.jrunc.rootfs;

import org.jrunc.sys.MountFlags;


/**
 * One config.json mount, parsed: the MS_* flags to set and to clear, the propagation to apply afterwards, the
 * filesystem data string, and mount_setattr attributes for the recursive ("r"-prefixed) options.
 */
public record MountPlan(
        String source,
        String destination,
        String type,
        long flags,
        long clearedFlags,
        long propagation,
        String data,
        long recAttrSet,
        long recAttrClr,
        boolean tmpcopyup) {

    public boolean isBind() {
        return (flags & MountFlags.MS_BIND) != 0;
    }

    public boolean isRecursiveBind() {
        return isBind() && (flags & MountFlags.MS_REC) != 0;
    }
}
