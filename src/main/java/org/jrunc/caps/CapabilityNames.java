package org.jrunc.caps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Linux capability names and numbers (capability.h), up to CAP_CHECKPOINT_RESTORE (40). */
public final class CapabilityNames {
    private static final String[] NAMES = {
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_DAC_READ_SEARCH",
        "CAP_FOWNER",
        "CAP_FSETID",
        "CAP_KILL",
        "CAP_SETGID",
        "CAP_SETUID",
        "CAP_SETPCAP",
        "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN",
        "CAP_NET_RAW",
        "CAP_IPC_LOCK",
        "CAP_IPC_OWNER",
        "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN",
        "CAP_SYS_BOOT",
        "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG",
        "CAP_MKNOD",
        "CAP_LEASE",
        "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE",
        "CAP_MAC_ADMIN",
        "CAP_SYSLOG",
        "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ",
        "CAP_PERFMON",
        "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    };

    private CapabilityNames() {}

    /** The highest capability number jrunc knows. */
    public static int last() {
        return NAMES.length - 1;
    }

    /** The number of a name (with or without CAP_, any case), or -1. */
    public static int number(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (!n.startsWith("CAP_")) {
            n = "CAP_" + n;
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(n)) {
                return i;
            }
        }
        return -1;
    }

    public static String name(int number) {
        return number >= 0 && number < NAMES.length ? NAMES[number] : "CAP_" + number;
    }

    public static List<String> all() {
        return List.of(NAMES);
    }

    /** Names of the bits set in a mask, lowest first. */
    public static List<String> names(long mask) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            if ((mask & (1L << i)) != 0) {
                out.add(name(i));
            }
        }
        return out;
    }
}
