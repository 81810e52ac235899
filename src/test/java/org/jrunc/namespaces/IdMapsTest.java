package org.jrunc.namespaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.config.IdMapping;
import org.junit.jupiter.api.Test;

/**
 * How an unprivileged caller's maps are planned: its own id alone written directly (setgroups denied for gid_map),
 * anything else through newuidmap/newgidmap within its subordinate ranges, and a range outside them refused in one
 * line that names it. fails on fbadc0c: IdMaps wrote every map directly, as root.
 */
class IdMapsTest {
    private static final long UID = 1001;
    private static final long GID = 1002;
    private static final SubordinateIds SUBUIDS =
            SubordinateIds.parse(Path.of("/etc/subuid"), "alice:100000:65536\n", "alice", UID);
    private static final SubordinateIds SUBGIDS =
            SubordinateIds.parse(Path.of("/etc/subgid"), "alice:200000:65536\n", "alice", GID);

    /** Records which helper each map needs. */
    private static final class FoundHelpers extends IdMaps.Helpers {
        final List<String> found = new ArrayList<>();

        @Override
        Path find(String helper, String purpose) {
            found.add(helper);
            return Path.of("/usr/bin", helper);
        }
    }

    private static List<IdMapping> map(long... triples) {
        List<IdMapping> m = new ArrayList<>();
        for (int i = 0; i < triples.length; i += 3) {
            m.add(new IdMapping(triples[i], triples[i + 1], triples[i + 2]));
        }
        return m;
    }

    private static IdMaps plan(List<IdMapping> uids, List<IdMapping> gids, FoundHelpers helpers) {
        return IdMaps.unprivileged(UID, GID, uids, gids, helpers, SUBUIDS, SUBGIDS);
    }

    @Test
    void theCallersOwnIdsAloneAreWrittenDirectlyWithSetgroupsDenied() {
        FoundHelpers helpers = new FoundHelpers();
        IdMaps maps = plan(map(0, UID, 1), map(0, GID, 1), helpers);
        assertEquals(List.of(), helpers.found, "no helper for the caller's own ids");
        assertTrue(maps.deniesSetgroups());
    }

    @Test
    void rangesGoThroughTheHelpersAndKeepSetgroups() {
        FoundHelpers helpers = new FoundHelpers();
        IdMaps maps = plan(map(0, UID, 1, 1, 100000, 65536), map(0, GID, 1, 1, 200000, 65536), helpers);
        assertEquals(List.of("newuidmap", "newgidmap"), helpers.found);
        assertFalse(maps.deniesSetgroups(), "newgidmap with a subgid range leaves setgroups allowed");
        helpers = new FoundHelpers();
        maps = plan(map(0, 100000, 10), map(0, GID, 1), helpers);
        assertEquals(List.of("newuidmap"), helpers.found, "one id of the range, not the caller's own");
        assertTrue(maps.deniesSetgroups());
    }

    @Test
    void aRangeOutsideTheCallersIsRefusedNamingIt() {
        JruncException e = assertThrows(
                JruncException.class, () -> plan(map(0, UID, 1, 1, 100000, 65537), map(0, GID, 1), new FoundHelpers()));
        assertEquals(
                "config.json: field linux.uidMappings[1]: host uids 100000-165536 may not be mapped by uid 1001: it "
                        + "may map its own uid alone and its subordinate uids (100000-165535 in /etc/subuid for "
                        + "alice (1001))",
                e.getMessage());
        e = assertThrows(JruncException.class, () -> plan(map(0, UID, 1), map(0, 0, 1), new FoundHelpers()));
        assertTrue(
                e.getMessage().startsWith("config.json: field linux.gidMappings[0]: host gids 0-0 may not be mapped"),
                e.getMessage());
        e = assertThrows(JruncException.class, () -> plan(map(0, UID, 2), map(0, GID, 1), new FoundHelpers()));
        assertTrue(e.getMessage().contains("host uids 1001-1002"), "the own uid with size 2: " + e.getMessage());
    }

    @Test
    void aMissingHelperIsNamed() {
        IdMaps.Helpers none = new IdMaps.Helpers() {
            @Override
            Path find(String helper, String purpose) {
                throw new JruncException(helper + " not found on PATH: " + purpose);
            }
        };
        JruncException e = assertThrows(
                JruncException.class,
                () -> IdMaps.unprivileged(
                        UID, GID, map(0, UID, 1, 1, 100000, 10), map(0, GID, 1), none, SUBUIDS, SUBGIDS));
        assertEquals("newuidmap not found on PATH: linux.uidMappings beyond your own uid", e.getMessage());
    }

    @Test
    void rootWritesAnyMapDirectly() {
        assertFalse(IdMaps.asRoot(map(0, 100000, 65536), map(0, 100000, 65536)).deniesSetgroups());
        assertThrows(JruncException.class, () -> IdMaps.asRoot(List.of(), map(0, 0, 1)));
    }
}
