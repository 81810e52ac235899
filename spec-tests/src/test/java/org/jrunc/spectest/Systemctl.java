package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

/** What systemd says of a unit, as an administrator would ask it: the tests' reading of the driver's work. */
public final class Systemctl {
    private Systemctl() {}

    /** systemctl show -p NAME --value UNIT. */
    public static String show(String unit, String property) throws Exception {
        Process p = new ProcessBuilder("systemctl", "show", "-p", property, "--value", unit)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }
}
