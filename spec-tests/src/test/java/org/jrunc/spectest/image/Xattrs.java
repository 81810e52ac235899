package org.jrunc.spectest.image;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file's extended attributes without following a symlink (llistxattr, lgetxattr through JNA): the JDK's
 * UserDefinedFileAttributeView sees only user.* and follows links, and Debian's getfattr is not installed.
 */
final class Xattrs {
    private interface C extends Library {
        C LIB = Native.load("c", C.class);

        long llistxattr(String path, byte[] list, long size) throws LastErrorException;

        long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;
    }

    private Xattrs() {}

    /** Name to value, sorted by name. */
    static Map<String, byte[]> of(Path file) {
        String path = file.toString();
        Map<String, byte[]> out = new TreeMap<>();
        long size = C.LIB.llistxattr(path, null, 0);
        if (size <= 0) {
            return out;
        }
        byte[] list = new byte[(int) size];
        int n = (int) C.LIB.llistxattr(path, list, list.length);
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (list[i] == 0) {
                String name = new String(list, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                byte[] value = new byte[(int) C.LIB.lgetxattr(path, name, null, 0)];
                int len = (int) C.LIB.lgetxattr(path, name, value, value.length);
                out.put(name, Arrays.copyOf(value, len));
            }
        }
        return out;
    }
}
