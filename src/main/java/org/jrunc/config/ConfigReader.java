package org.jrunc.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.json.Json;
import org.jrunc.json.JsonException;

/**
 * Maps a JSON tree from {@link Json} onto the records of this package: what {@link SpecLoader} does on every create
 * and exec. jackson-databind would do the same, but its first use in a JVM costs ~90 ms (introspection that no
 * class-data archive can keep), more than the rest of the CLI's work; this costs a few (with the JVMs' native
 * reflection accessors, -Djdk.reflect.useNativeAccessorOnly=true, set by the launcher). The rules are jackson's
 * configuration in SpecLoader: unknown properties are ignored, nothing is coerced (a number where a string belongs
 * is an error), and an error names the field ("field process.args[0]: expected a string"). ConfigReaderTest checks
 * that both agree on every test config.
 */
final class ConfigReader {
    /** JSON names that are Java keywords or differ in case (the records' @JsonProperty). */
    static final Map<String, String> RENAMED = Map.of(
            "ExecCpuAffinity.finalCpus", "final",
            "IoPriority.ioClass", "class",
            "ProcessConfig.execCpuAffinity", "execCPUAffinity");
    /** uint64 fields (the records' UnsignedLongDeserializer): 2^64-1 becomes -1; negative values are accepted. */
    static final Set<String> UNSIGNED = Set.of(
            "CpuResources.shares",
            "CpuResources.burst",
            "CpuResources.period",
            "CpuResources.realtimePeriod",
            "HugepageLimit.limit",
            "MemoryResources.swappiness",
            "Rlimit.hard",
            "Rlimit.soft",
            "SeccompArg.value",
            "SeccompArg.valueTwo",
            "ThrottleDevice.rate");

    private static final BigInteger MAX_UNSIGNED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private ConfigReader() {}

    static <T> T read(String text, String name, Class<T> type) {
        Object tree;
        try {
            tree = Json.parse(text);
        } catch (JsonException e) {
            throw new ConfigException(name + ": invalid JSON" + where(text, e.offset()) + ": " + e.reason());
        }
        if (tree == null) {
            throw new ConfigException(name + ": empty document");
        }
        try {
            return type.cast(convert(tree, type, "", false));
        } catch (FieldError e) {
            throw new ConfigException(name + ": " + (e.path.isEmpty() ? "" : "field " + e.path + ": ") + e.reason);
        }
    }

    private static String where(String text, int offset) {
        if (offset < 0) {
            return "";
        }
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return " at line " + line + ", column " + column;
    }

    private static Object convert(Object node, Type type, String path, boolean unsigned) {
        if (node == null) {
            return null;
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type element = p.getActualTypeArguments()[raw == Map.class ? 1 : 0];
            if (raw == List.class) {
                return list(node, element, path);
            }
            if (raw == Map.class) {
                return map(node, element, path);
            }
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            if (node instanceof String) {
                return node;
            }
            throw new FieldError(path, "expected a string");
        }
        if (c == Boolean.class) {
            if (node instanceof Boolean) {
                return node;
            }
            throw new FieldError(path, "expected true or false");
        }
        if (c == Long.class || c == Integer.class) {
            return integer(node, c == Integer.class, unsigned, path);
        }
        if (c.isRecord()) {
            return record(node, c, path);
        }
        throw new IllegalStateException("config model type not handled: " + type);
    }

    private static Object integer(Object node, boolean isInt, boolean unsigned, String path) {
        if (!(node instanceof Long) && !(node instanceof BigInteger)) {
            throw new FieldError(path, "expected an integer");
        }
        BigInteger v = node instanceof Long l ? BigInteger.valueOf(l) : (BigInteger) node;
        if (unsigned) {
            if (v.compareTo(MAX_UNSIGNED) > 0 || v.bitLength() >= 64 && v.signum() < 0) {
                throw new FieldError(path, "number out of range");
            }
            return v.longValue();
        }
        if (v.bitLength() >= (isInt ? 32 : 64)) {
            throw new FieldError(path, "number out of range");
        }
        return isInt ? (Object) v.intValue() : (Object) v.longValue();
    }

    private static List<Object> list(Object node, Type element, String path) {
        if (!(node instanceof List<?> items)) {
            throw new FieldError(path, "expected an array or object of the right kind");
        }
        List<Object> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(convert(items.get(i), element, path + "[" + i + "]", false));
        }
        return out;
    }

    private static Map<String, Object> map(Object node, Type value, String path) {
        if (!(node instanceof Map<?, ?> entries)) {
            throw new FieldError(path, "expected an array or object of the right kind");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String key = (String) e.getKey();
            out.put(key, convert(e.getValue(), value, join(path, key), false));
        }
        return out;
    }

    private static Object record(Object node, Class<?> type, String path) {
        if (!(node instanceof Map<?, ?> fields)) {
            throw new FieldError(path, "expected an object");
        }
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String qualified = type.getSimpleName() + "." + components[i].getName();
            String json = RENAMED.getOrDefault(qualified, components[i].getName());
            types[i] = components[i].getType();
            args[i] = convert(
                    fields.get(json), components[i].getGenericType(), join(path, json), UNSIGNED.contains(qualified));
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            // a record's own validation in its constructor
            Throwable cause = e.getCause();
            throw new FieldError(path, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("config model " + type + " cannot be built", e);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** An error at a field; becomes the one-line ConfigException. */
    private static final class FieldError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String path;
        final String reason;

        FieldError(String path, String reason) {
            super(reason, null, false, false);
            this.path = path;
            this.reason = reason;
        }
    }
}
