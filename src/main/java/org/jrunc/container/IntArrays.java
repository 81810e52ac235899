package org.jrunc.container;

import java.util.List;

/**
 * Descriptor lists as the int arrays the spawn takes. A loop, not {@code stream().mapToInt(...)}: create's and exec's
 * paths cannot be trained into the AOT cache, and each lambda and stream stage there costs class spinning per call.
 */
final class IntArrays {
    private IntArrays() {}

    static int[] of(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
