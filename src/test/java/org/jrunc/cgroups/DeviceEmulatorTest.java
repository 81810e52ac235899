package org.jrunc.cgroups;

import static org.jrunc.cgroups.Res.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The device-rule emulator both drivers share: v1 writes its transitions, v2 compiles its state. */
class DeviceEmulatorTest {
    @Test
    void v1LinesAndTransitions() {
        List<DeviceAccessRule> target = DeviceRuleTranslator.translate(
                List.of(
                        rule(false, "a", null, null, "rwm"),
                        rule(true, "c", 1L, 3L, "rwm"),
                        rule(true, "c", 136L, null, "rw"),
                        rule(true, "b", 8L, 0L, "r")),
                "config.json");
        // a new cgroup allows everything: deny all first, then the exceptions in (major, minor, type) order
        assertEquals(
                List.of("deny a *:* rwm", "allow c 1:3 rwm", "allow b 8:0 r", "allow c 136:* rw"),
                lines(DeviceEmulator.fromList("a *:* rwm\n").transition(DeviceEmulator.of(target))));
        // an update touches only the differences, never passing through deny-all
        DeviceEmulator current = DeviceEmulator.fromList("c 1:3 rwm\nc 1:5 rwm\nc 136:* rwm\n");
        assertEquals(
                List.of("deny c 1:5 rwm", "deny c 136:* m", "allow b 8:0 r"),
                lines(current.transition(DeviceEmulator.of(target))));
    }

    private static List<String> lines(List<DeviceAccessRule> rules) {
        return rules.stream()
                .map(r -> (r.allow() ? "allow " : "deny ") + r.v1Line())
                .toList();
    }
}
