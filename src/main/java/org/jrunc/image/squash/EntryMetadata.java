package org.jrunc.image.squash;

import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * What a squashfs keeps of a tar entry's inode: permission bits (setuid, setgid, sticky included), numeric owner, mtime
 * and extended attributes (PAX {@code SCHILY.xattr.*}). User and group names are dropped: the image's ids are what
 * count, and commons-compress would otherwise fill in the name of whoever runs the squash.
 */
record EntryMetadata(int permissions, long uid, long gid, FileTime mtime, SortedMap<String, String> xattrs) {
    static final String XATTR_PREFIX = "SCHILY.xattr.";

    /** A directory no entry names (entry a/b/c without a/b): as squashfs-tools-ng and Singularity default it. */
    static final EntryMetadata IMPLICIT_DIRECTORY =
            new EntryMetadata(0755, 0, 0, FileTime.fromMillis(0), Collections.emptySortedMap());

    /**
     * The metadata of {@code entry}. An xattr value that was not UTF-8 is refused: commons-compress decodes PAX values
     * as UTF-8 and replaces bad bytes with U+FFFD, so passing it on would store different bytes than the layer had.
     */
    static EntryMetadata of(TarArchiveEntry entry) throws EntryPath.Refused {
        SortedMap<String, String> xattrs = new TreeMap<>();
        for (Map.Entry<String, String> header : entry.getExtraPaxHeaders().entrySet()) {
            String key = header.getKey();
            if (key.startsWith(XATTR_PREFIX)) {
                if (key.indexOf('\uFFFD') >= 0 || header.getValue().indexOf('\uFFFD') >= 0) {
                    throw new EntryPath.Refused("xattr " + SquashException.quote(key.substring(XATTR_PREFIX.length()))
                            + " is not UTF-8, which this tar reader cannot carry unchanged");
                }
                xattrs.put(key, header.getValue());
            }
        }
        return new EntryMetadata(
                entry.getMode() & 07777,
                entry.getLongUserId(),
                entry.getLongGroupId(),
                entry.getLastModifiedTime(),
                xattrs);
    }

    /**
     * Sets this metadata on an entry to be written for an inode of {@code kind}; {@code withXattrs} is false for a
     * hard link's own entry.
     */
    void applyTo(TarArchiveEntry out, EntryKind kind, boolean withXattrs) {
        out.setMode(kind.fileType | permissions);
        out.setUserId(uid);
        out.setGroupId(gid);
        out.setUserName("");
        out.setGroupName("");
        out.setLastModifiedTime(mtime);
        if (withXattrs) {
            for (Map.Entry<String, String> xattr : xattrs.entrySet()) {
                out.addPaxHeader(xattr.getKey(), xattr.getValue());
            }
        }
    }
}
