package org.jrunc.sys;

import com.sun.jna.Structure;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;

/**
 * What JNA's first {@code Native.register} costs, cut down. It builds its Structure.FFIType table, and JNA asks each
 * Structure class for its field order by reading its {@code @FieldOrder} annotation. Parsing an annotation defines two
 * dynamic proxy classes at run time, which no class-data archive holds: about 7 ms in every jrunc JVM (the CLI and the
 * init). The order of FFIType's fields is put into JNA's own cache beforehand instead, so nothing is parsed.
 * JnaStartupTest checks the seeded order against the annotation, so a JNA upgrade that changes it fails the build.
 */
public final class JnaStartup {
    /** Structure.FFIType's {@code @FieldOrder}, JNA 5.x. */
    static final List<String> FFI_TYPE_FIELDS = List.of("size", "alignment", "type", "elements");
    static final String FFI_TYPE = "com.sun.jna.Structure$FFIType";

    private JnaStartup() {
    }

    /** Idempotent; if JNA's internals differ, it does nothing and JNA reads the annotation as usual. */
    @SuppressWarnings("unchecked")
    public static void seedFieldOrder() {
        try {
            Class<?> ffiType = Class.forName(FFI_TYPE, false, JnaStartup.class.getClassLoader());
            Field cache = Structure.class.getDeclaredField("fieldOrder");
            cache.setAccessible(true);
            ((Map<Class<?>, List<String>>) cache.get(null)).putIfAbsent(ffiType, FFI_TYPE_FIELDS);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // only slower
        }
    }
}
