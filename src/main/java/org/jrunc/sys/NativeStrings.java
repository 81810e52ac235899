package org.jrunc.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;

/**
 * A NULL-terminated char* array in native memory (argv or envp), built before it is needed so that the moment of use
 * (execve, posix_spawn, or a cloned child) allocates nothing.
 */
public final class NativeStrings {
    private final Memory table;
    private final Memory[] strings;

    private NativeStrings(Memory table, Memory[] strings) {
        this.table = table;
        this.strings = strings;
    }

    public static NativeStrings of(String[] values) {
        Memory[] strings = new Memory[values.length];
        Memory table = new Memory(8L * (values.length + 1));
        for (int i = 0; i < values.length; i++) {
            byte[] b = values[i].getBytes(StandardCharsets.UTF_8);
            Memory m = new Memory(b.length + 1L);
            m.write(0, b, 0, b.length);
            m.setByte(b.length, (byte) 0);
            strings[i] = m;
            table.setPointer(8L * i, m);
        }
        table.setPointer(8L * values.length, null);
        return new NativeStrings(table, strings);
    }

    public long address() {
        return Pointer.nativeValue(table);
    }

    public int size() {
        return strings.length;
    }

    /** Call after the native use of {@link #address()}, so the memory cannot be freed while the kernel reads it. */
    public void keepAlive() {
        Reference.reachabilityFence(this);
        Reference.reachabilityFence(strings);
    }
}
