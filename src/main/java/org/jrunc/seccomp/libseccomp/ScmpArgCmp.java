package org.jrunc.seccomp.libseccomp;

import com.sun.jna.Memory;
import java.util.List;

/**
 * struct scmp_arg_cmp: a comparison of one syscall argument. {@code datumB} is only read by {@link ScmpCompare#MASKED_EQ},
 * where {@code datumA} is the mask. Data are uint64 held in a long's bits.
 */
public record ScmpArgCmp(int arg, ScmpCompare op, long datumA, long datumB) {
    /** sizeof(struct scmp_arg_cmp): unsigned int arg, enum op, then two 8-byte aligned uint64. */
    static final int SIZE = 24;

    public ScmpArgCmp {
        if (arg < 0 || arg > 5) {
            throw new IllegalArgumentException("syscall argument index " + arg + " is not in 0-5");
        }
    }

    public static ScmpArgCmp of(int arg, ScmpCompare op, long datum) {
        return new ScmpArgCmp(arg, op, datum, 0);
    }

    /** The C array for seccomp_rule_add_array, or null when there are no comparisons. */
    static Memory toNative(List<ScmpArgCmp> cmps) {
        if (cmps.isEmpty()) {
            return null;
        }
        Memory m = new Memory((long) SIZE * cmps.size());
        m.clear();
        for (int i = 0; i < cmps.size(); i++) {
            ScmpArgCmp c = cmps.get(i);
            long base = (long) SIZE * i;
            m.setInt(base, c.arg);
            m.setInt(base + 4, c.op.code());
            m.setLong(base + 8, c.datumA);
            m.setLong(base + 16, c.datumB);
        }
        return m;
    }
}
