package org.jrunc.namespaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jrunc.JruncException;
import org.junit.jupiter.api.Test;

/** runc's rootless detection and --rootless words, from the text of /proc/self/status and uid_map. */
class RootlessTest {
    private static final String INITIAL = "         0          0 4294967295\n";

    private static String status(int ruid, int euid, int egid) {
        return "Name:\tjava\nUmask:\t0022\nUid:\t" + ruid + "\t" + euid + "\t" + euid + "\t" + euid + "\nGid:\t" + egid
                + "\t" + egid + "\t" + egid + "\t" + egid + "\nFDSize:\t64\n";
    }

    @Test
    void rootOfTheInitialNamespaceIsNotRootless() {
        Rootless r = Rootless.of(status(0, 0, 0), INITIAL);
        assertFalse(r.rootless());
        assertFalse(r.inUserNamespace());
        assertFalse(r.honoursXdgRuntimeDir("root"));
        assertFalse(r.honoursXdgRuntimeDir(null));
    }

    /** fails on fbadc0c: there was no detection; --rootless=true was refused. */
    @Test
    void anUnprivilegedEffectiveUidIsRootless() {
        Rootless r = Rootless.of(status(0, 1001, 1002), INITIAL);
        assertTrue(r.rootless());
        assertEquals(1001, r.euid());
        assertEquals(1002, r.egid());
        assertTrue(r.honoursXdgRuntimeDir("root"));
    }

    @Test
    void uidZeroInAnotherUserNamespaceIsRootless() {
        Rootless r =
                Rootless.of(status(0, 0, 0), "         0       1001          1\n         1     100000      65536\n");
        assertTrue(r.rootless());
        assertTrue(r.inUserNamespace());
        assertTrue(r.honoursXdgRuntimeDir("alice"));
        assertTrue(r.honoursXdgRuntimeDir(null), "runc: USER unset counts as not root");
        assertFalse(r.honoursXdgRuntimeDir("root"));
        assertTrue(Rootless.of(status(0, 0, 0), "0 0 4294967294\n").inUserNamespace(), "a map one short");
        assertFalse(Rootless.of(status(0, 0, 0), null).rootless(), "no uid_map: a kernel without user namespaces");
    }

    @Test
    void theFlagTakesAutoAndGosBooleanWords() {
        Rootless root = Rootless.of(status(0, 0, 0), INITIAL);
        Rootless user = Rootless.of(status(1001, 1001, 1001), INITIAL);
        for (String auto : new String[] {"auto", "AUTO", "", null}) {
            assertNull(Rootless.parseMode(auto));
            assertFalse(root.decide(auto));
            assertTrue(user.decide(auto));
        }
        for (String yes : new String[] {"true", "1", "t", "T", "TRUE", "True"}) {
            assertTrue(root.decide(yes), yes);
        }
        for (String no : new String[] {"false", "0", "f", "F", "FALSE", "False"}) {
            assertFalse(user.decide(no), no);
        }
        JruncException e = assertThrows(JruncException.class, () -> Rootless.parseMode("maybe"));
        assertEquals("invalid value for --rootless: maybe (true, false or auto)", e.getMessage());
    }

    @Test
    void thisProcessIsReadFromProc() {
        Rootless self = Rootless.ofSelf();
        assertEquals(self.euid() != 0 || self.inUserNamespace(), self.rootless());
    }
}
