package org.jrunc.lsm;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jrunc.sys.KernelFiles;

/**
 * Which Linux security modules can take a label on this host: AppArmor when its module parameter says enabled and
 * its securityfs directory exists, SELinux when selinuxfs is mounted. `features` reports the same answer.
 */
public record LsmHost(boolean apparmor, boolean selinux) {
    private static LsmHost current;

    public static synchronized LsmHost current() {
        if (current == null) {
            current = detect(Path.of("/"));
        }
        return current;
    }

    /** Detection under {@code root} (the host's / in production, a fake tree in tests). */
    static LsmHost detect(Path root) {
        String enabled = KernelFiles.readOrNull(root.resolve("sys/module/apparmor/parameters/enabled"));
        boolean apparmor = enabled != null
                && enabled.trim().equals("Y")
                && Files.isDirectory(root.resolve("sys/kernel/security/apparmor"));
        boolean selinux = Files.exists(root.resolve("sys/fs/selinux/enforce"));
        return new LsmHost(apparmor, selinux);
    }
}
