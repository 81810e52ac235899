package org.jrunc.sifbundle;

import java.util.Optional;
import org.jrunc.JruncException;

/**
 * The image config's User ("", "uid", "name", "uid:gid", "name:group", ...) as the numeric uid and gid the runtime
 * config needs, with names looked up in the image's own /etc/passwd and /etc/group as Docker does. A numeric uid
 * takes its primary group from /etc/passwd when it is listed there, else 0.
 */
record ImageUser(long uid, long gid) {
    static final ImageUser ROOT = new ImageUser(0, 0);
    private static final long MAX_ID = 0xFFFFFFFEL; // (uid_t) -1 means "no change" to the kernel
    private static final int MAX_DB_BYTES = 4 * 1024 * 1024;

    static ImageUser resolve(String user, RootfsFiles files, String where) {
        if (user.isEmpty()) {
            return ROOT;
        }
        int colon = user.indexOf(':');
        String userPart = colon < 0 ? user : user.substring(0, colon);
        String groupPart = colon < 0 ? null : user.substring(colon + 1);
        String field = where + ": User \"" + Shown.of(user) + "\"";
        if (userPart.isEmpty() || (groupPart != null && groupPart.isEmpty())) {
            throw new JruncException(field + " is not user, uid, user:group or uid:gid");
        }
        Optional<String[]> passwdEntry;
        long uid;
        Optional<Long> numericUid = number(userPart, field);
        if (numericUid.isPresent()) {
            uid = numericUid.get();
            passwdEntry = lookup(files, "/etc/passwd", 2, Long.toString(uid));
        } else {
            passwdEntry = lookup(files, "/etc/passwd", 0, userPart);
            uid = passwdEntry
                    .map(e -> id(e[2], field))
                    .orElseThrow(() -> new JruncException(
                            field + ": no user \"" + Shown.of(userPart) + "\" in the image's /etc/passwd"));
        }
        long gid;
        if (groupPart == null) {
            gid = passwdEntry.map(e -> id(e[3], field)).orElse(0L);
        } else {
            Optional<Long> numericGid = number(groupPart, field);
            gid = numericGid.isPresent()
                    ? numericGid.get()
                    : lookup(files, "/etc/group", 0, groupPart)
                            .map(e -> id(e[2], field))
                            .orElseThrow(() -> new JruncException(
                                    field + ": no group \"" + Shown.of(groupPart) + "\" in the image's /etc/group"));
        }
        return new ImageUser(uid, gid);
    }

    /** A decimal id, empty for a name; a number out of range is an error, not a name. */
    private static Optional<Long> number(String s, String field) {
        if (!s.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(id(s, field));
    }

    private static long id(String s, String field) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0 && v <= MAX_ID) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new JruncException(field + ": id \"" + Shown.of(s) + "\" is not a number from 0 to " + MAX_ID);
    }

    /** The first line of a passwd/group style file whose field {@code index} equals {@code key}. */
    static Optional<String[]> lookup(RootfsFiles files, String db, int index, String key) {
        Optional<String> text = files.read(db, MAX_DB_BYTES);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        for (String line : text.get().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(":", -1);
            int needed = db.endsWith("passwd") ? 7 : 4;
            if (fields.length >= needed && fields[index].equals(key)) {
                return Optional.of(fields);
            }
        }
        return Optional.empty();
    }
}
