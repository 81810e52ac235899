package org.jrunc.sif;

/**
 * The LinkedID of a descriptor: nothing, another object (by ID), or a whole group (signatures link to group 1).
 * In the file a group link is stored as {@code groupId | 0xf0000000}.
 */
public record SifLink(int target, boolean group) {
    public static final SifLink NONE = new SifLink(0, false);

    public SifLink {
        if (target < 0 || target > SifFormat.MAX_GROUP_ID) {
            throw new IllegalArgumentException("link target out of range: " + target);
        }
        if (target == 0 && group) {
            throw new IllegalArgumentException("a group link needs a group ID");
        }
    }

    public static SifLink toObject(int id) {
        return new SifLink(id, false);
    }

    public static SifLink toGroup(int groupId) {
        return new SifLink(groupId, true);
    }

    public boolean isNone() {
        return target == 0;
    }

    /** Like Go's sif: the mask is stripped from the target whatever it is; only a full nibble means "group". */
    static SifLink fromRaw(int raw) {
        int target = raw & SifFormat.MAX_GROUP_ID;
        return target == 0 ? NONE : new SifLink(target, (raw & SifFormat.GROUP_MASK) == SifFormat.GROUP_MASK);
    }

    int toRaw() {
        return group ? target | SifFormat.GROUP_MASK : target;
    }
}
