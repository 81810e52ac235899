package org.jrunc.stage.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the binary plan format: big-endian ints and longs, booleans and presence flags as one byte 0 or 1, strings
 * as a length and UTF-8 bytes, and lists, maps and arrays as a count and their elements. A count or string length of
 * -1 stands for null. {@link PlanReader} reads it back.
 */
final class PlanWriter {
    private ByteBuffer out = ByteBuffer.allocate(4096);

    byte[] toByteArray() {
        return Arrays.copyOf(out.array(), out.position());
    }

    private void room(int n) {
        if (out.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + n));
            bigger.put(out.flip());
            out = bigger;
        }
    }

    void u8(int v) {
        room(1);
        out.put((byte) v);
    }

    void bool(boolean v) {
        u8(v ? 1 : 0);
    }

    void i32(int v) {
        room(4);
        out.putInt(v);
    }

    void i64(long v) {
        room(8);
        out.putLong(v);
    }

    /** A count of elements to follow, or -1 for null; returns whether elements follow. */
    private boolean count(Object collection, int size) {
        i32(collection == null ? -1 : size);
        return collection != null;
    }

    void string(String s) {
        if (s == null) {
            i32(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i32(b.length);
        room(b.length);
        out.put(b);
    }

    void optInt(Integer v) {
        bool(v != null);
        if (v != null) {
            i32(v);
        }
    }

    void optLong(Long v) {
        bool(v != null);
        if (v != null) {
            i64(v);
        }
    }

    void bytes(byte[] a) {
        if (count(a, a == null ? 0 : a.length)) {
            room(a.length);
            out.put(a);
        }
    }

    void ints(int[] a) {
        if (count(a, a == null ? 0 : a.length)) {
            for (int v : a) {
                i32(v);
            }
        }
    }

    void longs(long[] a) {
        if (count(a, a == null ? 0 : a.length)) {
            for (long v : a) {
                i64(v);
            }
        }
    }

    void strings(List<String> list) {
        if (count(list, list == null ? 0 : list.size())) {
            for (String s : list) {
                string(s);
            }
        }
    }

    void stringMap(Map<String, String> map) {
        if (count(map, map == null ? 0 : map.size())) {
            for (Map.Entry<String, String> e : map.entrySet()) {
                string(e.getKey());
                string(e.getValue());
            }
        }
    }

    /** A presence byte, then the value as its codec writes it. */
    <T> void value(T v, FieldCodec<T> codec) {
        bool(v != null);
        if (v != null) {
            codec.write(this, v);
        }
    }

    /** A count, then each element as {@link #value} writes it. */
    <T> void list(List<T> list, FieldCodec<T> codec) {
        if (count(list, list == null ? 0 : list.size())) {
            for (T v : list) {
                value(v, codec);
            }
        }
    }
}
