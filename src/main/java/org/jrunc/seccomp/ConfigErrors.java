package org.jrunc.seccomp;

import org.jrunc.config.ConfigException;

/** The one-line config error format shared by the rest of jrunc: the file, the field, what is wrong. */
final class ConfigErrors {
    static final String ROOT = "linux.seccomp";

    private ConfigErrors() {}

    static ConfigException field(String path, String message) {
        return new ConfigException("config.json: field " + path + ": " + message);
    }

    /** A config string as JSON shows it; a null list entry as null. */
    static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    /** uint64 config values arrive as a long's bits; show them as the number the user wrote. */
    static String unsigned(long v) {
        return Long.toUnsignedString(v);
    }
}
