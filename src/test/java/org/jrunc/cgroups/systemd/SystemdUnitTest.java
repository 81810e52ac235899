package org.jrunc.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jrunc.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Unit names and cgroup paths from linux.cgroupsPath, as runc's systemd driver derives them. */
class SystemdUnitTest {
    @Test
    void noCgroupsPathIsAJruncScopeInTheSystemSlice() {
        SystemdUnit u = SystemdUnit.of(null, "c1");
        assertEquals("jrunc-c1.scope", u.name());
        assertEquals("system.slice", u.slice());
        assertEquals("/system.slice/jrunc-c1.scope", u.cgroupPath());
        assertEquals(u, SystemdUnit.of("", "c1"));
        assertFalse(u.isSlice());
    }

    @Test
    void containerdsFormIsPrefixDashNameInTheSlice() {
        SystemdUnit u = SystemdUnit.of("test.slice:cri-containerd:abc", "ignored");
        assertEquals("cri-containerd-abc.scope", u.name());
        assertEquals("test.slice", u.slice());
        assertEquals("/test.slice/cri-containerd-abc.scope", u.cgroupPath());
    }

    @Test
    void kubeletsNestedSlicesExpandByTheirDashes() {
        SystemdUnit u = SystemdUnit.of("kubepods-besteffort-pod12.slice:cri-containerd:x", "x");
        assertEquals(
                "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod12.slice/cri-containerd-x.scope",
                u.cgroupPath());
    }

    @Test
    void anEmptySliceIsTheSystemSliceAndTheRootSliceIsSlash() {
        assertEquals("/system.slice/p-n.scope", SystemdUnit.of(":p:n", "id").cgroupPath());
        assertEquals("/p-n.scope", SystemdUnit.of("-.slice:p:n", "id").cgroupPath());
        assertEquals("/", SystemdUnit.expandSlice("-.slice"));
        assertEquals("/test.slice/test-a.slice", SystemdUnit.expandSlice("test-a.slice"));
    }

    @Test
    void anEmptyPrefixKeepsRuncsDash() {
        assertEquals("-n.scope", SystemdUnit.of("system.slice::n", "id").name());
    }

    @Test
    void aNameEndingInSliceMakesThatSlice() {
        SystemdUnit u = SystemdUnit.of("system.slice:ignored:pod-a.slice", "id");
        assertTrue(u.isSlice());
        assertEquals("pod-a.slice", u.name());
        assertEquals("system.slice", u.slice());
        assertEquals("/pod.slice/pod-a.slice", u.cgroupPath());
    }

    @Test
    void malformedPathsAreRefusedNamingTheField() {
        for (String bad : new String[] {
            "a.slice:b",
            "a:b:c:d",
            "/jrunc/c1",
            "nodot:p:n",
            "a--b.slice:p:n",
            "-a.slice:p:n",
            "a-.slice:p:n",
            "x/y.slice:p:n",
            ".slice:p:n",
            "system.slice:p:"
        }) {
            ConfigException e = assertThrows(ConfigException.class, () -> SystemdUnit.of(bad, "id"), bad);
            assertTrue(
                    e.getMessage().startsWith("config.json: field linux.cgroupsPath: \"" + bad + "\""), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
