package org.jrunc.rootfs;

import static org.jrunc.sys.MountFlags.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jrunc.config.ConfigException;
import org.jrunc.config.IdMapping;
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
        e = assertThrows(ConfigException.class, () -> parse("proc", "proc", "tmpcopyup"));
        assertTrue(e.getMessage().contains("tmpcopyup"), e.getMessage());
    }

    private static final List<IdMapping> CONTAINER = List.of(new IdMapping(0L, 100000L, 65536L));
    private static final List<IdMapping> MOUNT = List.of(new IdMapping(1000L, 0L, 1L));

    private static IdmappedMount idmap(Mount m, List<IdMapping> containerMaps, String joined) {
        return MountOptions.idmap(m, MountOptions.parse(m, 3), 3, containerMaps, containerMaps, joined);
    }

    private static Mount bind(List<IdMapping> uids, List<IdMapping> gids, String... options) {
        return new Mount("/dst", "bind", "/src", List.of(options), uids, gids);
    }

    /** Fails on 17985a3: "idmap" was refused and a mount's mappings were ignored (no idmap plan existed). */
    @Test
    void idmapTakesTheMountsMappingsOrTheContainers() {
        assertEquals(null, idmap(bind(null, null, "rbind"), CONTAINER, null), "a plain bind is not idmapped");
        IdmappedMount own = idmap(bind(MOUNT, MOUNT, "bind"), CONTAINER, null);
        assertEquals(MOUNT, own.uidMappings(), "the mount's own mappings win");
        assertEquals(MOUNT, own.gidMappings());
        assertFalse(own.recursive() || own.recursiveTree());
        assertEquals("mounts[3] /dst", own.name());
        IdmappedMount inherited = idmap(bind(null, null, "rbind", "ridmap"), CONTAINER, null);
        assertEquals(CONTAINER, inherited.uidMappings(), "no mappings: the new user namespace's");
        assertTrue(inherited.recursive() && inherited.recursiveTree());
        IdmappedMount joined = idmap(bind(null, null, "bind", "idmap"), null, "/proc/7/ns/user");
        assertEquals("/proc/7/ns/user", joined.userNamespace(), "no mappings: the joined user namespace");
        assertEquals(null, joined.uidMappings());
        assertEquals(
                "",
                MountOptions.parse(bind(null, null, "bind", "idmap", "ridmap"), 3)
                        .data(),
                "not fs data");
    }

    @Test
    void idmapRefusalsNameTheField() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> idmap(new Mount("/d", "tmpfs", "t", List.of(), MOUNT, MOUNT), null, null));
        assertTrue(
                e.getMessage().contains("mounts[3]: idmapped mounts")
                        && e.getMessage().contains("bind"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> idmap(bind(null, null, "bind", "idmap"), null, null));
        assertTrue(e.getMessage().contains("mounts[3].options: \"idmap\""), e.getMessage());
        e = assertThrows(ConfigException.class, () -> idmap(bind(MOUNT, null, "bind"), null, null));
        assertTrue(e.getMessage().contains("mounts[3].gidMappings"), e.getMessage());
        List<IdMapping> sizeless = List.of(new IdMapping(0L, 1L, null));
        e = assertThrows(ConfigException.class, () -> idmap(bind(sizeless, MOUNT, "bind"), null, null));
        assertTrue(e.getMessage().contains("mounts[3].uidMappings[0]"), e.getMessage());
    }

    @Test
    void rootPropagation() {
        assertEquals(0, MountOptions.parseRootPropagation(null));
        assertEquals(MS_SHARED, MountOptions.parseRootPropagation("shared"));
        assertEquals(MS_UNBINDABLE | MS_REC, MountOptions.parseRootPropagation("runbindable"));
        assertThrows(ConfigException.class, () -> MountOptions.parseRootPropagation("weird"));
    }
}
