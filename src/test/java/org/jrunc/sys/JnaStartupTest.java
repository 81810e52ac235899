package org.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Structure;
import java.util.List;
import org.junit.jupiter.api.Test;

class JnaStartupTest {
    /** The seeded order must be the annotation's, or JNA would lay out its FFI types wrongly. */
    @Test
    void seededFieldOrderIsTheAnnotations() throws Exception {
        Class<?> ffiType = Class.forName(JnaStartup.FFI_TYPE);
        Structure.FieldOrder order = ffiType.getAnnotation(Structure.FieldOrder.class);
        assertEquals(List.of(order.value()), JnaStartup.FFI_TYPE_FIELDS);
    }
}
