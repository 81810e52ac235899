package org.jrunc.stage.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;

/**
 * Reads what {@link PlanWriter} wrote. Every read checks the bytes left first, and every count or length is bounded
 * by them, so a truncated or corrupt payload ends in a {@link JruncException}, never in a huge allocation.
 */
final class PlanReader {
    private final ByteBuffer in;

    PlanReader(byte[] payload) {
        in = ByteBuffer.wrap(payload);
    }

    JruncException corrupt(String what) {
        return new JruncException("cannot read the plan: " + what + " at byte " + in.position() + " of " + in.limit());
    }

    private void need(int n) {
        if (in.remaining() < n) {
            throw corrupt("truncated: " + n + " more bytes needed");
        }
    }

    /** Fails unless every byte was read. */
    void end() {
        if (in.hasRemaining()) {
            throw corrupt(in.remaining() + " bytes left over");
        }
    }

    int u8() {
        need(1);
        return in.get() & 0xff;
    }

    boolean bool() {
        int b = u8();
        if (b > 1) {
            throw corrupt("flag byte " + b);
        }
        return b == 1;
    }

    int i32() {
        need(4);
        return in.getInt();
    }

    long i64() {
        need(8);
        return in.getLong();
    }

    /**
     * A count written by {@link PlanWriter}: -1 for null, else a number of elements of at least {@code minBytes}
     * each, which the bytes left must be able to hold.
     */
    int count(int minBytes) {
        int n = i32();
        if (n < -1 || (long) n * minBytes > in.remaining()) {
            throw corrupt("count " + n + " does not fit the " + in.remaining() + " bytes left");
        }
        return n;
    }

    String string() {
        int n = count(1);
        if (n < 0) {
            return null;
        }
        String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    Integer optInt() {
        return bool() ? i32() : null;
    }

    Long optLong() {
        return bool() ? i64() : null;
    }

    byte[] bytes() {
        int n = count(1);
        if (n < 0) {
            return null;
        }
        byte[] a = new byte[n];
        in.get(a);
        return a;
    }

    int[] ints() {
        int n = count(4);
        if (n < 0) {
            return null;
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.getInt();
        }
        return a;
    }

    long[] longs() {
        int n = count(8);
        if (n < 0) {
            return null;
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.getLong();
        }
        return a;
    }

    List<String> strings() {
        int n = count(4);
        if (n < 0) {
            return null;
        }
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(string());
        }
        return list;
    }

    Map<String, String> stringMap() {
        int n = count(8);
        if (n < 0) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(string(), string());
        }
        return map;
    }

    /** A presence byte, then the value as its codec reads it. */
    <T> T value(FieldCodec<T> codec) {
        return bool() ? codec.read(this) : null;
    }

    /** A count, then each element as {@link #value} reads it. */
    <T> List<T> list(FieldCodec<T> codec) {
        int n = count(1);
        if (n < 0) {
            return null;
        }
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(value(codec));
        }
        return list;
    }
}
