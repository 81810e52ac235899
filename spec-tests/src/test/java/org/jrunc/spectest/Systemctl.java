package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What systemd says of a unit, as an administrator would ask it: the tests' reading of the driver's work. */
public final class Systemctl {
    private Systemctl() {}

    /**
     * systemctl show -p NAME --value UNIT. Its output goes to a file and the wait is bounded, so a systemd that stopped
     * answering fails the test instead of holding the guest until its timeout.
     */
    public static String show(String unit, String property) throws Exception {
        Path out = Files.createTempFile("systemctl", ".out");
        try {
            Process p = new ProcessBuilder("systemctl", "show", "-p", property, "--value", unit)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("systemctl show -p " + property + " " + unit + " did not answer in 60 s");
            }
            return Files.readString(out).trim();
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
