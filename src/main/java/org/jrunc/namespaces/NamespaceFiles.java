package org.jrunc.namespaces;

import static org.jrunc.sys.Flags.O_RDONLY;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrunc.JruncException;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/** Opens the namespace file a linux.namespaces entry names by path, and checks that it is of the kind it says. */
public final class NamespaceFiles {
    private static final long NS_GET_NSTYPE = 0xb703;

    private NamespaceFiles() {}

    /** A descriptor of the namespace of {@code kind} at {@code path}; an error naming what it is otherwise. */
    public static int open(Syscalls sys, NamespaceKind kind, String path) {
        int fd;
        try {
            fd = sys.open(path, O_RDONLY, 0);
        } catch (SyscallException ex) {
            NamespaceKind named = kindByProcName(path);
            if (named != null && named != kind) {
                // a /proc/PID/ns file we may not open (the kernel's ptrace check) still says what it is by name
                throw wrongKind(kind, path, named);
            }
            throw new JruncException("linux.namespaces " + kind.specName() + " path " + path + ": "
                    + ex.getMessage().replaceFirst("^open \\S+: ", ""));
        }
        int actual;
        try {
            actual = sys.ioctl(fd, NS_GET_NSTYPE, 0);
        } catch (SyscallException ex) {
            sys.close(fd);
            throw new JruncException(
                    "linux.namespaces " + kind.specName() + " path " + path + " is not a namespace file");
        }
        if (actual != kind.flag()) {
            sys.close(fd);
            throw wrongKind(kind, path, NamespaceKind.fromFlag(actual));
        }
        return fd;
    }

    private static JruncException wrongKind(NamespaceKind wanted, String path, NamespaceKind actual) {
        return new JruncException("linux.namespaces " + wanted.specName() + " path " + path + " is "
                + (actual == null ? "another kind of" : article(actual.specName())) + " namespace, not "
                + article(wanted.specName()) + " namespace");
    }

    /** The kind a /proc/PID/ns/NAME (or /proc/self/ns/NAME) path names, or null for any other path. */
    static NamespaceKind kindByProcName(String path) {
        Matcher m =
                Pattern.compile("^/proc/[^/]+/(?:task/[0-9]+/)?ns/([a-z_]+)$").matcher(path);
        return m.matches() ? NamespaceKind.fromProcName(m.group(1)) : null;
    }

    /** "an ipc", "a uts", "a user": every kind but ipc starts with a consonant sound. */
    private static String article(String word) {
        return ("aeio".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }
}
