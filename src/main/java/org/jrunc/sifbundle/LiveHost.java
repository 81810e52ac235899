package org.jrunc.sifbundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.jrunc.JruncException;
import org.jrunc.rootfs.MountTable;

/** {@link Host} from procfs: /proc/self/mountinfo, and /proc/PID/mountinfo once per other mount namespace. */
final class LiveHost implements Host {
    private static final Path PROC = Path.of("/proc");

    @Override
    public MountTable mounts() {
        return MountTable.current();
    }

    @Override
    public OptionalInt userInOtherNamespace(String device) {
        String own = namespace(PROC.resolve("self"));
        Set<String> seen = new HashSet<>();
        seen.add(own);
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String ns = namespace(p);
                if (ns == null || !seen.add(ns)) {
                    continue;
                }
                if (hasDevice(p, device)) {
                    return OptionalInt.of(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new JruncException("cannot list /proc: " + e.getMessage());
        }
        return OptionalInt.empty();
    }

    /** The mount namespace link ("mnt:[4026531841]"), or null for a process that is gone or not readable. */
    private static String namespace(Path proc) {
        try {
            return Files.readSymbolicLink(proc.resolve("ns/mnt")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static boolean hasDevice(Path proc, String device) {
        try {
            return MountTable.of(proc.resolve("mountinfo")).hasDevice(device);
        } catch (JruncException e) {
            return false; // exited meanwhile
        }
    }
}
