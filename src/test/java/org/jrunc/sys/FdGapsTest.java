package org.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FdGapsTest {
    @Test
    void nothingToKeepClosesEverythingAboveStderr() {
        assertEquals(List.of(new FdGaps.Range(3, Integer.MAX_VALUE, true)), FdGaps.of(new int[0]));
    }

    @Test
    void gapsLieBetweenTheKeptDescriptorsInAnyOrder() {
        assertEquals(
                List.of(
                        new FdGaps.Range(5, 8, false),
                        new FdGaps.Range(10, 10, false),
                        new FdGaps.Range(12, Integer.MAX_VALUE, true)),
                FdGaps.of(new int[] {11, 3, 9, 4, 9, 1}));
    }
}
