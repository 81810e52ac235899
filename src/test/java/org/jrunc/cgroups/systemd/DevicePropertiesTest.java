package org.jrunc.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jrunc.cgroups.DeviceAccessRule;
import org.junit.jupiter.api.Test;

/** Device rules as DevicePolicy and DeviceAllow, as runc gives them to systemd. */
class DevicePropertiesTest {
    private static final String PROC_DEVICES =
            "Character devices:\n  1 mem\n  5 /dev/tty\n136 pts\n\nBlock devices:\n  7 loop\n  8 sd\n";

    private static DeviceAccessRule rule(char type, long major, long minor, String access, boolean allow) {
        return new DeviceAccessRule(type, major, minor, DeviceAccessRule.parseAccess(access), allow);
    }

    @Test
    void anAllowListBecomesStrictWithPathsGroupsAndWildcards() {
        List<String> warnings = new ArrayList<>();
        List<UnitProperty> p = DeviceProperties.of(
                List.of(
                        rule('a', -1, -1, "rwm", false),
                        rule('c', -1, -1, "m", true),
                        rule('b', -1, -1, "m", true),
                        rule('c', 1, 3, "rwm", true),
                        rule('c', 136, -1, "rwm", true),
                        rule('b', 8, -1, "r", true)),
                PROC_DEVICES,
                warnings);
        assertEquals(UnitProperty.string("DevicePolicy", "strict"), p.get(0));
        assertEquals("DeviceAllow", p.get(1).name());
        assertEquals("a(ss)", p.get(1).signature());
        assertEquals(
                List.of(
                        new UnitProperty.DeviceAllow("/dev/char/1:3", "rwm"),
                        new UnitProperty.DeviceAllow("block-*", "m"),
                        new UnitProperty.DeviceAllow("block-sd", "r"),
                        new UnitProperty.DeviceAllow("char-*", "m"),
                        new UnitProperty.DeviceAllow("char-pts", "rwm")),
                sorted(p.get(1).value()),
                "order aside");
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<UnitProperty.DeviceAllow> sorted(Object v) {
        List<UnitProperty.DeviceAllow> l = new ArrayList<>((List<UnitProperty.DeviceAllow>) v);
        l.sort((a, b) -> a.path().compareTo(b.path()));
        return l;
    }

    @Test
    void whatSystemdCannotNameIsLeftOutWithAWarning() {
        List<String> warnings = new ArrayList<>();
        List<UnitProperty> p = DeviceProperties.of(
                List.of(rule('a', -1, -1, "rwm", false), rule('c', -1, 3, "r", true), rule('c', 250, -1, "r", true)),
                PROC_DEVICES,
                warnings);
        assertEquals(List.of(), p.get(1).value());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("c *:3 r"), warnings.get(0));
        assertTrue(warnings.get(1).contains("major 250"), warnings.get(1));
    }

    @Test
    void allowAllIsAutoAndADenyListIsDenyAllWithAWarning() {
        List<String> warnings = new ArrayList<>();
        List<UnitProperty> all = DeviceProperties.of(List.of(rule('a', -1, -1, "rwm", true)), "", warnings);
        assertEquals(List.of(UnitProperty.string("DevicePolicy", "auto"), UnitProperty.deviceAllow(List.of())), all);
        assertTrue(warnings.isEmpty());
        List<UnitProperty> deny = DeviceProperties.of(
                List.of(rule('a', -1, -1, "rwm", true), rule('c', 1, 3, "rwm", false)), "", warnings);
        assertEquals(List.of(UnitProperty.string("DevicePolicy", "strict"), UnitProperty.deviceAllow(List.of())), deny);
        assertEquals(1, warnings.size());
    }

    @Test
    void groupNamesComeFromTheirSectionOfProcDevices() {
        assertEquals("mem", DeviceProperties.groupName(PROC_DEVICES, "char", 1));
        assertEquals("sd", DeviceProperties.groupName(PROC_DEVICES, "block", 8));
        assertEquals(null, DeviceProperties.groupName(PROC_DEVICES, "block", 1));
    }
}
