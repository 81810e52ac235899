package org.jrunc.lsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsmTest {
    @TempDir
    Path root;

    @Test
    void detectionReadsTheModulesState() throws Exception {
        assertEquals(new LsmHost(false, false), LsmHost.detect(root));
        Files.createDirectories(root.resolve("sys/module/apparmor/parameters"));
        Files.writeString(root.resolve("sys/module/apparmor/parameters/enabled"), "Y\n");
        assertEquals(new LsmHost(false, false), LsmHost.detect(root), "enabled but no securityfs: not usable");
        Files.createDirectories(root.resolve("sys/kernel/security/apparmor"));
        assertEquals(new LsmHost(true, false), LsmHost.detect(root));
        Files.writeString(root.resolve("sys/module/apparmor/parameters/enabled"), "N\n");
        Files.createDirectories(root.resolve("sys/fs/selinux"));
        Files.writeString(root.resolve("sys/fs/selinux/enforce"), "1");
        assertEquals(new LsmHost(false, true), LsmHost.detect(root));
    }

    @Test
    void labelsOfInactiveModulesAreNotAppliedAndSaySo() {
        List<String> warnings = new ArrayList<>();
        LsmHost none = new LsmHost(false, false);
        assertNull(LsmLabels.apparmor("docker-default", "process.apparmorProfile", none, warnings::add));
        assertNull(LsmLabels.selinux("system_u:system_r:container_t:s0", "process.selinuxLabel", none, warnings::add));
        assertNull(LsmLabels.apparmor("", "process.apparmorProfile", none, warnings::add));
        assertEquals(
                List.of(
                        "process.apparmorProfile \"docker-default\" is not applied: AppArmor is not enabled on this host",
                        "process.selinuxLabel \"system_u:system_r:container_t:s0\" is not applied: SELinux is not enabled on "
                                + "this host"),
                warnings);
    }

    @Test
    void labelsOfActiveModulesAreKept() {
        List<String> warnings = new ArrayList<>();
        LsmHost both = new LsmHost(true, true);
        assertEquals("p", LsmLabels.apparmor("p", "f", both, warnings::add));
        assertEquals("l", LsmLabels.selinux("l", "f", both, warnings::add));
        assertEquals(List.of(), warnings);
    }
}
