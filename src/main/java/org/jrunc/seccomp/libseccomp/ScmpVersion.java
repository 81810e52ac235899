package org.jrunc.seccomp.libseccomp;

import com.sun.jna.Pointer;

/** The version of the loaded libseccomp, and the API level it reports for this kernel. */
public record ScmpVersion(int major, int minor, int micro) {

    public static ScmpVersion current() {
        LibSeccomp.require();
        // const struct scmp_version { unsigned int major, minor, micro; } *
        Pointer p = LibSeccomp.seccomp_version();
        return new ScmpVersion(p.getInt(0), p.getInt(4), p.getInt(8));
    }

    /**
     * seccomp_api_get(): which kernel features libseccomp found (3: LOG action and TSYNC/LOG flags, 4: SPEC_ALLOW,
     * 5: NOTIFY, 6: TSYNC_ESRCH). libseccomp probes the kernel the first time this is asked.
     */
    public static int apiLevel() {
        LibSeccomp.require();
        return LibSeccomp.seccomp_api_get();
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro;
    }
}
