package org.jrunc.namespaces;

import org.jrunc.sys.CloneFlags;

/** linux.namespaces[].type values, their clone flags and their /proc/PID/ns names. */
public enum NamespaceKind {
    PID("pid", CloneFlags.CLONE_NEWPID, "pid"),
    NETWORK("network", CloneFlags.CLONE_NEWNET, "net"),
    MOUNT("mount", CloneFlags.CLONE_NEWNS, "mnt"),
    IPC("ipc", CloneFlags.CLONE_NEWIPC, "ipc"),
    UTS("uts", CloneFlags.CLONE_NEWUTS, "uts"),
    USER("user", CloneFlags.CLONE_NEWUSER, "user"),
    CGROUP("cgroup", CloneFlags.CLONE_NEWCGROUP, "cgroup"),
    TIME("time", CloneFlags.CLONE_NEWTIME, "time");

    private final String specName;
    private final int flag;
    private final String procName;

    NamespaceKind(String specName, int flag, String procName) {
        this.specName = specName;
        this.flag = flag;
        this.procName = procName;
    }

    public String specName() {
        return specName;
    }

    public int flag() {
        return flag;
    }

    /** The entry under /proc/PID/ns/. */
    public String procName() {
        return procName;
    }

    public static NamespaceKind fromSpec(String name) {
        for (NamespaceKind k : values()) {
            if (k.specName.equals(name)) {
                return k;
            }
        }
        return null;
    }

    /** The kind whose clone flag is {@code flag} (what ioctl NS_GET_NSTYPE answers for a namespace file), or null. */
    public static NamespaceKind fromFlag(int flag) {
        for (NamespaceKind k : values()) {
            if (k.flag == flag) {
                return k;
            }
        }
        return null;
    }

    /** The kind whose /proc/PID/ns entry is named {@code name} ("net", "mnt", ...), or null. */
    public static NamespaceKind fromProcName(String name) {
        for (NamespaceKind k : values()) {
            if (k.procName.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
