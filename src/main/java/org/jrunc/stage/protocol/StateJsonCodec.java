package org.jrunc.stage.protocol;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime-spec state JSON in a plan: a map of strings to JSON values (maps, lists, strings, numbers, booleans,
 * null). Each value is a tag byte and its content; maps keep their order, and numbers keep their Java type.
 */
final class StateJsonCodec implements FieldCodec<Map<String, Object>> {
    static final StateJsonCodec INSTANCE = new StateJsonCodec();

    private static final int NULL = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int STRING = 3;
    private static final int INT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int BIG_INTEGER = 7;
    private static final int LIST = 8;
    private static final int MAP = 9;
    /** Far deeper than any state; it stops a corrupt payload from nesting until the stack overflows. */
    private static final int MAX_DEPTH = 64;

    private StateJsonCodec() {}

    @Override
    public void write(PlanWriter w, Map<String, Object> map) {
        writeMap(w, map);
    }

    @Override
    public Map<String, Object> read(PlanReader r) {
        return readMap(r, 0);
    }

    private static void writeMap(PlanWriter w, Map<?, ?> map) {
        w.i32(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new IllegalArgumentException("state JSON: key " + e.getKey() + " is not a string");
            }
            w.string((String) e.getKey());
            writeValue(w, e.getValue());
        }
    }

    private static void writeValue(PlanWriter w, Object v) {
        if (v == null) {
            w.u8(NULL);
        } else if (v instanceof Boolean) {
            w.u8((Boolean) v ? TRUE : FALSE);
        } else if (v instanceof String) {
            w.u8(STRING);
            w.string((String) v);
        } else if (v instanceof Integer) {
            w.u8(INT);
            w.i32((Integer) v);
        } else if (v instanceof Long) {
            w.u8(LONG);
            w.i64((Long) v);
        } else if (v instanceof Double) {
            w.u8(DOUBLE);
            w.i64(Double.doubleToRawLongBits((Double) v));
        } else if (v instanceof BigInteger) {
            w.u8(BIG_INTEGER);
            w.bytes(((BigInteger) v).toByteArray());
        } else if (v instanceof List) {
            w.u8(LIST);
            List<?> list = (List<?>) v;
            w.i32(list.size());
            for (Object o : list) {
                writeValue(w, o);
            }
        } else if (v instanceof Map) {
            w.u8(MAP);
            writeMap(w, (Map<?, ?>) v);
        } else {
            throw new IllegalArgumentException(
                    "state JSON: cannot encode a " + v.getClass().getName());
        }
    }

    /** The element count of a map or list at {@code depth}, each element at least {@code minBytes} long. */
    private static int size(PlanReader r, int minBytes, int depth) {
        if (depth > MAX_DEPTH) {
            throw r.corrupt("state JSON nested deeper than " + MAX_DEPTH);
        }
        int n = r.count(minBytes);
        if (n < 0) {
            throw r.corrupt("state JSON: null container");
        }
        return n;
    }

    private static Map<String, Object> readMap(PlanReader r, int depth) {
        // an entry is at least a key length and a tag
        int n = size(r, 5, depth);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = r.string();
            if (key == null) {
                throw r.corrupt("state JSON: null key");
            }
            map.put(key, readValue(r, depth));
        }
        return map;
    }

    private static Object readValue(PlanReader r, int depth) {
        int tag = r.u8();
        switch (tag) {
            case NULL:
                return null;
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case STRING:
                return r.string();
            case INT:
                return r.i32();
            case LONG:
                return r.i64();
            case DOUBLE:
                return Double.longBitsToDouble(r.i64());
            case BIG_INTEGER:
                return readBigInteger(r);
            case LIST:
                return readList(r, depth + 1);
            case MAP:
                return readMap(r, depth + 1);
            default:
                throw r.corrupt("state JSON: unknown tag " + tag);
        }
    }

    private static BigInteger readBigInteger(PlanReader r) {
        byte[] b = r.bytes();
        if (b == null || b.length == 0) {
            throw r.corrupt("state JSON: empty big integer");
        }
        return new BigInteger(b);
    }

    private static List<Object> readList(PlanReader r, int depth) {
        int n = size(r, 1, depth);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readValue(r, depth));
        }
        return list;
    }
}
