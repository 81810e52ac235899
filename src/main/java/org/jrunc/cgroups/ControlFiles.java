package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.jrunc.JruncException;
import org.jrunc.sys.Errno;

/**
 * Control-file access for the writers: every failed write becomes a one-line error naming the OCI field it was
 * applying, the value, the file and the kernel's reason.
 */
public final class ControlFiles {
    private final CgroupFiles files;

    public ControlFiles(CgroupFiles files) {
        this.files = files;
    }

    public CgroupFiles files() {
        return files;
    }

    /** Writes {@code value} or throws an error naming {@code field} (a path below linux.resources). */
    public void set(String dir, String file, String value, String field) {
        IOException e = tryWrite(dir, file, value);
        if (e != null) {
            throw failure(dir, file, value, field, e);
        }
    }

    /**
     * As {@link #set(String, String, String, String)}, with what {@code hint} says about the errno (null: nothing)
     * added to the error in parentheses: for refusals whose cause lies outside the file written.
     */
    public void set(String dir, String file, String value, String field, IntFunction<String> hint) {
        IOException e = tryWrite(dir, file, value);
        if (e != null) {
            String why = hint.apply(CgroupErrno.of(e));
            JruncException failure = failure(dir, file, value, field, e);
            throw why == null ? failure : new JruncException(failure.getMessage() + " (" + why + ")");
        }
    }

    /** Writes {@code value}; returns null, or the failure for callers that handle some errors themselves. */
    public IOException tryWrite(String dir, String file, String value) {
        try {
            files.write(Path.of(dir, file), value);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /**
     * For knobs the kernel checks against another one about to be written (cfs period against quota, burst against
     * quota, rt period against rt runtime): writes now, or, when the kernel says EINVAL and {@code otherComing}, returns
     * {@code value} so the caller writes it again after the other knob. Returns null when written.
     */
    public String setOrDefer(String dir, String file, String value, String field, boolean otherComing) {
        IOException e = tryWrite(dir, file, value);
        if (e == null) {
            return null;
        }
        if (otherComing && CgroupErrno.of(e) == Errno.EINVAL) {
            return value;
        }
        throw failure(dir, file, value, field, e);
    }

    public static JruncException failure(String dir, String file, String value, String field, IOException e) {
        return new JruncException("linux.resources." + field + ": cannot write \"" + value.replace("\n", "\\n")
                + "\" to " + Path.of(dir, file) + ": " + CgroupErrno.reason(e));
    }

    public boolean has(String dir, String file) {
        return files.exists(Path.of(dir, file));
    }

    /** The trimmed content, or null when the file is missing or unreadable. */
    public String get(String dir, String file) {
        try {
            return files.read(Path.of(dir, file)).trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** A single-number file as uint64 bits: "max" is -1 (all bits set), a missing or unparsable file is null. */
    public Long getU64(String dir, String file) {
        String s = get(dir, file);
        return s == null ? null : Numbers.parseU64(s);
    }

    /** "key value" lines (memory.stat, cpu.stat, memory.events) as a map in file order; a missing file is empty. */
    Map<String, Long> keyValues(String dir, String file) {
        Map<String, Long> out = new LinkedHashMap<>();
        String content = get(dir, file);
        if (content == null) {
            return out;
        }
        for (String line : content.split("\n")) {
            String[] f = line.trim().split("\\s+");
            Long v = f.length == 2 ? Numbers.parseU64(f[1]) : null;
            if (v != null) {
                out.put(f[0], v);
            }
        }
        return out;
    }
}
