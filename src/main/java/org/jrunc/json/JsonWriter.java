package org.jrunc.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers and booleans as JSON, compact or indented like Go's json.MarshalIndent with two
 * spaces (which is what `runc state` prints).
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final StringBuilder out = new StringBuilder(256);
    private final String indent;

    private JsonWriter(String indent) {
        this.indent = indent;
    }

    public static String compact(Object value) {
        JsonWriter w = new JsonWriter(null);
        w.value(value, 0);
        return w.out.toString();
    }

    public static String pretty(Object value) {
        JsonWriter w = new JsonWriter("  ");
        w.value(value, 0);
        return w.out.toString();
    }

    private void newline(int depth) {
        if (indent != null) {
            out.append('\n');
            for (int i = 0; i < depth; i++) {
                out.append(indent);
            }
        }
    }

    private void value(Object v, int depth) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String) {
            string((String) v);
        } else if (v instanceof Boolean
                || v instanceof Long
                || v instanceof Integer
                || v instanceof Short
                || v instanceof BigInteger) {
            out.append(v);
        } else if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new JsonException("cannot write " + d + " as JSON");
            }
            out.append(v);
        } else if (v instanceof Map) {
            object((Map<?, ?>) v, depth);
        } else if (v instanceof Collection) {
            array((Collection<?>) v, depth);
        } else if (v instanceof Object[]) {
            array(Arrays.asList((Object[]) v), depth);
        } else if (v instanceof long[]) {
            long[] a = (long[]) v;
            List<Long> l = new ArrayList<>(a.length);
            for (long x : a) {
                l.add(x);
            }
            array(l, depth);
        } else if (v instanceof int[]) {
            int[] a = (int[]) v;
            List<Integer> l = new ArrayList<>(a.length);
            for (int x : a) {
                l.add(x);
            }
            array(l, depth);
        } else {
            throw new JsonException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private void object(Map<?, ?> map, int depth) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            string(String.valueOf(e.getKey()));
            out.append(indent == null ? ":" : ": ");
            value(e.getValue(), depth + 1);
        }
        if (!first) {
            newline(depth);
        }
        out.append('}');
    }

    private void array(Collection<?> list, int depth) {
        out.append('[');
        boolean first = true;
        for (Object o : list) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            value(o, depth + 1);
        }
        if (!first) {
            newline(depth);
        }
        out.append(']');
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    // Go also escapes <, > and & in JSON; callers compare bytes with runc rarely, so keep them readable
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 15])
                                .append(HEX[(c >> 8) & 15])
                                .append(HEX[(c >> 4) & 15])
                                .append(HEX[c & 15]);
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
