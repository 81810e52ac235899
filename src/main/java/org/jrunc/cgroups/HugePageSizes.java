package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The huge page sizes of this host in the form hugetlb control files and OCI pageSize use ("2MB", "1GB"), from the
 * directory names under /sys/kernel/mm/hugepages ("hugepages-2048kB"), with runc's base-1024 units.
 */
public final class HugePageSizes {
    private static final Path SYSFS = Path.of("/sys/kernel/mm/hugepages");
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    private HugePageSizes() {}

    public static List<String> ofHost() {
        return of(SYSFS);
    }

    static List<String> of(Path dir) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).sorted().forEach(name -> {
                String size = fromDirName(name);
                if (size != null) {
                    out.add(size);
                }
            });
        } catch (IOException e) {
            // no huge pages configured in this kernel
        }
        return out;
    }

    /** "hugepages-2048kB" to "2MB"; null for anything else. */
    static String fromDirName(String name) {
        if (!name.startsWith("hugepages-") || !name.endsWith("kB")) {
            return null;
        }
        double size;
        try {
            size = Long.parseLong(name.substring("hugepages-".length(), name.length() - 2)) * 1024.0;
        } catch (NumberFormatException e) {
            return null;
        }
        int unit = 0;
        while (size >= 1024 && unit < UNITS.length - 1) {
            size /= 1024;
            unit++;
        }
        // like Go's %g: no trailing ".0"
        String n = size == Math.rint(size) ? Long.toString((long) size) : Double.toString(size);
        return n + UNITS[unit];
    }
}
