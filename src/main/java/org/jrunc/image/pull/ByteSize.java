package org.jrunc.image.pull;

import java.util.Locale;

/** Sizes as people read them: "512 B", "12.3 MiB". */
public final class ByteSize {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private ByteSize() {}

    public static String human(double bytes) {
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return unit == 0
                ? String.format(Locale.ROOT, "%.0f B", v)
                : String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }
}
