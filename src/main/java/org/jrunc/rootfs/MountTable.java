package org.jrunc.rootfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jrunc.JruncException;
import org.jrunc.sys.KernelFiles;

/**
 * The calling process's mounts, from /proc/self/mountinfo. `jrunc umount` asks it whether what the marker recorded is
 * still mounted (after a reboot nothing is) and whether anything else sits in the way before deleting a directory;
 * delete, which mounts a container left in the runtime's mount namespace ({@link SharedNamespaceMounts}).
 */
public final class MountTable {
    /** One mountinfo line: ids, device (major:minor), mount point, filesystem type and source. */
    public record Entry(int id, int parentId, String device, String mountPoint, String fsType, String source) {}

    private final List<Entry> entries;

    public MountTable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static MountTable current() {
        return of(Path.of("/proc/self/mountinfo"));
    }

    /** Another process's view, e.g. /proc/PID/mountinfo. */
    public static MountTable of(Path mountinfo) {
        try {
            return parse(KernelFiles.read(mountinfo));
        } catch (IOException e) {
            throw new JruncException("cannot read " + mountinfo + ": " + e.getMessage());
        }
    }

    /** Whether any mount here is of the filesystem {@code device} (major:minor). */
    public boolean hasDevice(String device) {
        return entries.stream().anyMatch(e -> e.device().equals(device));
    }

    /** Lines that do not have mountinfo's shape are skipped. */
    public static MountTable parse(String mountinfo) {
        List<Entry> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 2) {
                continue;
            }
            try {
                out.add(new Entry(
                        Integer.parseInt(pre[0]),
                        Integer.parseInt(pre[1]),
                        pre[2],
                        unescape(pre[4]),
                        post[0],
                        unescape(post[1])));
            } catch (NumberFormatException e) {
                // not a mountinfo line
            }
        }
        return new MountTable(out);
    }

    /** The kernel writes space, tab, newline and backslash in paths as 3-digit octal escapes (\040). */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        for (int i = from; i < from + 3; i++) {
            if (i >= s.length() || s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /** Every mount stacked on {@code path}, bottom first (file order). */
    public List<Entry> at(Path path) {
        String p = path.toString();
        return entries.stream().filter(e -> e.mountPoint().equals(p)).toList();
    }

    /** The mount that is visible at {@code path}: of those stacked there, the one no other is mounted on. */
    public Optional<Entry> top(Path path) {
        List<Entry> stack = at(path);
        Set<Integer> covered = stack.stream().map(Entry::parentId).collect(Collectors.toSet());
        Entry visible = null;
        for (Entry e : stack) {
            if (!covered.contains(e.id())) {
                visible = e;
            }
        }
        return Optional.ofNullable(visible);
    }

    /** Every mount, in the file's order (a mount comes after the one it is mounted on). */
    public List<Entry> entries() {
        return entries;
    }

    /** The first mount at {@code path} or below it, if any. */
    public Optional<Entry> atOrBelow(Path path) {
        String p = path.toString();
        return entries.stream()
                .filter(e -> e.mountPoint().equals(p) || e.mountPoint().startsWith(p + "/"))
                .findFirst();
    }
}
