package org.jrunc.seccomp;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jrunc.sys.SeccompProbe;

/** What `features` reports under linux.seccomp: the names this compiler accepts and the flags this kernel takes. */
public final class SeccompFeatures {
    private SeccompFeatures() {}

    public static List<String> actions() {
        return SeccompActions.names();
    }

    public static List<String> architectures() {
        return SeccompArchitectures.names();
    }

    public static List<String> knownFlags() {
        return new ArrayList<>(new TreeSet<>(SeccompFlags.names()));
    }

    /** The known flags seccomp(2) accepts here (probed with a NULL program, which installs nothing). */
    public static List<String> supportedFlags() {
        List<String> out = new ArrayList<>();
        for (String name : knownFlags()) {
            if (SeccompProbe.filterFlagsSupported(SeccompFlags.value(name))) {
                out.add(name);
            }
        }
        return out;
    }
}
