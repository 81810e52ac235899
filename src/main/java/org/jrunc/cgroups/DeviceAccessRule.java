package org.jrunc.cgroups;

/**
 * One device cgroup rule in normal form: type 'a', 'c' or 'b'; major and minor with -1 for any; access as a bit set
 * using the BPF_DEVCG_ACC_* values (m=1, r=2, w=4) so the eBPF generator can use it as is.
 */
public record DeviceAccessRule(char type, long major, long minor, int access, boolean allow) {
    public static final int MKNOD = 1;
    public static final int READ = 2;
    public static final int WRITE = 4;
    public static final int ALL = MKNOD | READ | WRITE;

    public static int parseAccess(String s) {
        int bits = 0;
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case 'r' -> bits |= READ;
                case 'w' -> bits |= WRITE;
                case 'm' -> bits |= MKNOD;
                default -> throw new IllegalArgumentException("unknown access '" + ch + "'");
            }
        }
        return bits;
    }

    public static String accessString(int bits) {
        return ((bits & READ) != 0 ? "r" : "") + ((bits & WRITE) != 0 ? "w" : "") + ((bits & MKNOD) != 0 ? "m" : "");
    }

    /** The line devices.allow and devices.deny take, e.g. "c 1:3 rwm" or "a *:* rwm". */
    public String v1Line() {
        return type + " " + (major < 0 ? "*" : Long.toString(major)) + ":" + (minor < 0 ? "*" : Long.toString(minor))
                + " " + accessString(access);
    }
}
