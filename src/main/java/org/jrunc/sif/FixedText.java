package org.jrunc.sif;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * NUL-padded fixed-width text fields (launch script, arch code, names, digests). ISO-8859-1 maps every byte to one
 * char and back, so a field read and written again keeps its exact bytes whatever they were.
 */
final class FixedText {
    private FixedText() {}

    /** The field with trailing NULs removed (interior NULs are kept, as Go's TrimRight does). */
    static String trailingNulsTrimmed(byte[] buf, int offset, int length) {
        int end = offset + length;
        while (end > offset && buf[end - 1] == 0) {
            end--;
        }
        return new String(buf, offset, end - offset, StandardCharsets.ISO_8859_1);
    }

    /** The field up to its first NUL. */
    static String upToFirstNul(byte[] buf, int offset, int length) {
        int end = offset;
        while (end < offset + length && buf[end] != 0) {
            end++;
        }
        return new String(buf, offset, end - offset, StandardCharsets.ISO_8859_1);
    }

    /** Copies {@code text} into {@code buf} at {@code offset}, NUL-padding to {@code length}. */
    static void put(byte[] buf, int offset, int length, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length > length) {
            throw new IllegalArgumentException("text longer than its " + length + "-byte field");
        }
        Arrays.fill(buf, offset, offset + length, (byte) 0);
        System.arraycopy(bytes, 0, buf, offset, bytes.length);
    }

    static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    /**
     * Text from the image shown in a listing: control characters and line separators escaped (they could break the
     * table or drive the terminal), everything else, non-ASCII names included, kept.
     */
    static String terminalSafe(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (SifException.breaksLine(c)) {
                sb.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Bytes from a hostile file quoted in an error message: printable ASCII kept, the rest escaped. */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format("\\x%02x", (int) c));
            }
        }
        return sb.toString();
    }
}
