package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jrunc.config.DeviceRule;
import org.jrunc.config.Linux;
import org.jrunc.config.SpecLoader;
import org.junit.jupiter.api.Test;

/** Where the default device rules go in linux.resources.devices. Fails on 17985a3, which appended them. */
class DefaultDeviceRulesTest {
    private static List<String> rules(String devicesJson, String linuxDevicesJson) {
        String json = "{\"resources\":{\"devices\":" + devicesJson + "},\"devices\":" + linuxDevicesJson + "}";
        Linux linux = SpecLoader.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "config.json", Linux.class);
        return DefaultDeviceRules.withDefaults(linux).devices().stream()
                .map(DefaultDeviceRulesTest::line)
                .toList();
    }

    private static String line(DeviceRule r) {
        return (r.allow() ? "allow " : "deny ") + (r.type() == null ? "a" : r.type()) + " "
                + (r.major() == null ? "*" : r.major()) + ":" + (r.minor() == null ? "*" : r.minor()) + " "
                + r.access();
    }

    private static final List<String> MKNOD = List.of("allow c *:* m", "allow b *:* m");
    private static final List<String> DEFAULTS = List.of(
            "allow c 1:3 rwm",
            "allow c 1:8 rwm",
            "allow c 1:7 rwm",
            "allow c 5:0 rwm",
            "allow c 1:5 rwm",
            "allow c 1:9 rwm",
            "allow c 136:* rwm",
            "allow c 5:2 rwm",
            "allow c 10:200 rwm");

    @Test
    void theConfigsRulesAfterItsDenyAllComeAfterTheDefaultsSoTheyHaveTheLastWord() {
        List<String> got = rules(
                "[{\"allow\":false,\"access\":\"rwm\"},"
                        + "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"w\"},"
                        + "{\"allow\":false,\"type\":\"c\",\"major\":10,\"minor\":200,\"access\":\"rwm\"}]",
                "[]");
        List<String> want = new java.util.ArrayList<>(List.of("deny a *:* rwm"));
        want.addAll(DEFAULTS);
        want.add("allow c 1:11 w");
        want.add("deny c 10:200 rwm");
        want.addAll(MKNOD);
        assertEquals(want, got);
    }

    @Test
    void withoutAResetTheDefaultsComeFirst() {
        List<String> got = rules("[{\"allow\":false,\"type\":\"c\",\"major\":5,\"minor\":0,\"access\":\"rw\"}]", "[]");
        assertEquals(DEFAULTS, got.subList(0, DEFAULTS.size()));
        assertEquals(
                List.of("deny c 5:0 rw", "allow c *:* m", "allow b *:* m"), got.subList(DEFAULTS.size(), got.size()));
    }

    @Test
    void theLastResetCountsAndADeviceTheConfigDefinesKeepsOnlyItsOwnRules() {
        List<String> got = rules(
                "[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,"
                        + "\"access\":\"r\"},{\"allow\":false,\"type\":\"a\",\"access\":\"rwm\"}]",
                "[{\"path\":\"/dev/null\",\"type\":\"c\",\"major\":1,\"minor\":3}]");
        assertEquals(List.of("deny a *:* rwm", "allow c 1:3 r", "deny a *:* rwm"), got.subList(0, 3));
        assertEquals(
                DEFAULTS.size() - 1 + MKNOD.size(),
                got.size() - 3,
                "every default but /dev/null's, after the last reset");
        assertEquals("allow c 1:8 rwm", got.get(3));
    }

    @Test
    void aBadRuleIsNamedByItsIndexInConfigJson() {
        org.jrunc.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.jrunc.config.ConfigException.class,
                () -> rules("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"x\"}]", "[]"));
        assertEquals(
                "config.json: field linux.resources.devices[1].type: \"x\" is not a device type (a, c or b)",
                e.getMessage());
    }
}
