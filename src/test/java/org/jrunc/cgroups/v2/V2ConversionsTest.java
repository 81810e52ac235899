package org.jrunc.cgroups.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class V2ConversionsTest {
    @Test
    void cpuWeightFitsMinDefaultAndMax() {
        assertEquals(0, V2Conversions.cpuWeight(0));
        assertEquals(1, V2Conversions.cpuWeight(1));
        assertEquals(1, V2Conversions.cpuWeight(2));
        assertEquals(100, V2Conversions.cpuWeight(1024));
        assertEquals(10000, V2Conversions.cpuWeight(262144));
        assertEquals(10000, V2Conversions.cpuWeight(1_000_000));
        assertEquals(10000, V2Conversions.cpuWeight(-1)); // uint64 max
    }

    @Test
    void cpuWeightMatchesRunc() {
        // values of runc's ConvertCPUSharesToCgroupV2Value (opencontainers/cgroups utils.go)
        long[][] table = {
            {3, 2},
            {10, 4},
            {100, 17},
            {512, 59},
            {2048, 174},
            {4096, 303},
            {65536, 3023},
            {100000, 4340},
            {262143, 10000}
        };
        for (long[] row : table) {
            assertEquals(row[1], V2Conversions.cpuWeight(row[0]), "shares " + row[0]);
        }
    }

    @Test
    void ioWeightIsLinear() {
        assertEquals(0, V2Conversions.ioWeight(0));
        assertEquals(1, V2Conversions.ioWeight(10));
        assertEquals(4950, V2Conversions.ioWeight(500));
        assertEquals(10000, V2Conversions.ioWeight(1000));
    }

    @Test
    void swapIsMemoryPlusSwapInOciAndSwapAloneInV2() {
        assertEquals(100L, V2Conversions.swapMax(300, 200));
        assertEquals(0L, V2Conversions.swapMax(200, 200)); // equal: no swap at all
        assertEquals(-1L, V2Conversions.swapMax(-1, 200));
        assertEquals(-1L, V2Conversions.swapMax(0, -1)); // unlimited memory lifts swap too
        assertEquals(500L, V2Conversions.swapMax(500, -1));
        assertNull(V2Conversions.swapMax(0, 200));
        assertThrows(IllegalArgumentException.class, () -> V2Conversions.swapMax(100, 200));
        assertThrows(IllegalArgumentException.class, () -> V2Conversions.swapMax(100, 0));
    }
}
