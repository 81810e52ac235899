package org.jrunc.namespaces;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;

/**
 * A user's subordinate ids from /etc/subuid or /etc/subgid: the ranges newuidmap and newgidmap will map for it. Lines
 * are {@code owner:start:count}; the owner is the user's name or its number (the uid in /etc/subuid, the gid in
 * /etc/subgid), as shadow-utils reads them; other lines, and lines that do not parse, belong to nobody here. A mapping
 * is allowed when its host range is covered, possibly by several adjacent ranges (shadow's have_range).
 */
public final class SubordinateIds {
    public static final Path SUBUID = Path.of("/etc/subuid");
    public static final Path SUBGID = Path.of("/etc/subgid");

    /** One line's range: ids {@code start} to {@code start + count - 1}. */
    public record Range(long start, long count) {
        long last() {
            return start + count - 1;
        }

        /** "100000-165535", as the error lines show it. */
        String shown() {
            return start + "-" + last();
        }
    }

    private final Path file;
    private final String owner;
    private final List<Range> ranges;

    SubordinateIds(Path file, String owner, List<Range> ranges) {
        this.file = file;
        this.owner = owner;
        this.ranges = ranges;
    }

    /** The ranges of the user {@code name} (or number {@code id}) in {@code file}; a missing file has none. */
    public static SubordinateIds read(Path file, String name, long id) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            text = "";
        } catch (IOException e) {
            throw new JruncException("cannot read " + file + ": " + JruncException.reason(e));
        }
        return parse(file, text, name, id);
    }

    static SubordinateIds parse(Path file, String text, String name, long id) {
        List<Range> ranges = new ArrayList<>();
        String number = Long.toString(id);
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(":");
            if (f.length != 3 || !(f[0].equals(name) || f[0].equals(number))) {
                continue;
            }
            try {
                long start = Long.parseLong(f[1]);
                long count = Long.parseLong(f[2]);
                if (start >= 0 && count > 0) {
                    ranges.add(new Range(start, count));
                }
            } catch (NumberFormatException e) {
                // shadow-utils skips a line it cannot parse too
            }
        }
        return new SubordinateIds(file, name + (name.equals(number) ? "" : " (" + id + ")"), List.copyOf(ranges));
    }

    public List<Range> ranges() {
        return ranges;
    }

    /** Whether ids {@code start} to {@code start + count - 1} are all the user's, across adjacent ranges. */
    public boolean covers(long start, long count) {
        if (count <= 0) {
            return false;
        }
        long last = start + count - 1;
        Range r = containing(start);
        while (r != null) {
            if (r.last() >= last) {
                return true;
            }
            r = containing(r.last() + 1);
        }
        return false;
    }

    private Range containing(long id) {
        for (Range r : ranges) {
            if (id >= r.start() && id <= r.last()) {
                return r;
            }
        }
        return null;
    }

    /** "100000-165535, 300000-300009 in /etc/subuid for jrunc-rl (1001)", or that there are none. */
    String describe() {
        if (ranges.isEmpty()) {
            return "none in " + file + " for " + owner;
        }
        StringBuilder b = new StringBuilder();
        for (Range r : ranges) {
            b.append(b.length() == 0 ? "" : ", ").append(r.shown());
        }
        return b + " in " + file + " for " + owner;
    }
}
