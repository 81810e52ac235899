package org.jrunc.rootfs;

import static org.jrunc.sys.MountFlags.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jrunc.config.ConfigException;
import org.jrunc.config.Mount;
import org.junit.jupiter.api.Test;

class MountOptionsTest {
    private static MountPlan parse(String type, String source, String... options) {
        return MountOptions.parse(new Mount("/dst", type, source, List.of(options), null, null), 3);
    }

    @Test
    void flagsSetAndClearedInOrder() {
        MountPlan m = parse("tmpfs", "tmpfs", "ro", "nosuid", "nodev", "rw", "noexec", "exec", "size=10m", "mode=755");
        assertEquals(MS_NOSUID | MS_NODEV, m.flags());
        assertEquals(MS_RDONLY | MS_NOEXEC, m.clearedFlags());
        assertEquals("size=10m,mode=755", m.data(), "unknown options go to the data string");
    }

    @Test
    void bindAndPropagation() {
        MountPlan m = parse("none", "/src", "rbind", "rslave");
        assertTrue(m.isBind() && m.isRecursiveBind());
        assertEquals(MS_SLAVE | MS_REC, m.propagation());
        assertTrue(parse("bind", "/src").isBind(), "type bind alone means a bind mount");
    }

    @Test
    void recursiveAttributesGoToMountSetattr() {
        MountPlan m = parse("bind", "/src", "rbind", "rro", "rnosuid", "rexec", "rnoatime");
        assertEquals(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOATIME, m.recAttrSet());
        assertEquals(MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME, m.recAttrClr());
        assertEquals(0, m.flags() & MS_RDONLY);
    }

    @Test
    void errorsNameTheMount() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> MountOptions.parse(new Mount("relative", "tmpfs", "t", List.of(), null, null), 3));
        assertTrue(e.getMessage().contains("mounts[3].destination"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("bind", "", "bind"));
        assertTrue(e.getMessage().contains("mounts[3].source"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("bind", "/src", "idmap"));
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("proc", "proc", "tmpcopyup"));
        assertTrue(e.getMessage().contains("tmpcopyup"), e.getMessage());
    }

    @Test
    void rootPropagation() {
        assertEquals(0, MountOptions.parseRootPropagation(null));
        assertEquals(MS_SHARED, MountOptions.parseRootPropagation("shared"));
        assertEquals(MS_UNBINDABLE | MS_REC, MountOptions.parseRootPropagation("runbindable"));
        assertThrows(ConfigException.class, () -> MountOptions.parseRootPropagation("weird"));
    }
}
