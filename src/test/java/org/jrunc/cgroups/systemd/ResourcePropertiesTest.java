package org.jrunc.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.config.BlockIo;
import org.jrunc.config.CpuResources;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.PidsResources;
import org.jrunc.config.Resources;
import org.junit.jupiter.api.Test;

/** linux.resources as systemd unit properties, v1 and v2 names, with runc's conversions. */
class ResourcePropertiesTest {
    static Resources resources(MemoryResources m, CpuResources c, Long pids, Map<String, String> unified) {
        return new Resources(
                null, m, c, pids == null ? null : new PidsResources(pids), null, null, null, null, unified);
    }

    static MemoryResources memory(Long limit, Long reservation, Long swap) {
        return new MemoryResources(limit, reservation, swap, null, null, null, null, null, null);
    }

    static CpuResources cpu(Long shares, Long quota, Long period, String cpus, String mems) {
        return new CpuResources(shares, quota, null, period, null, null, cpus, mems, null);
    }

    /** name=value, with "t" values unsigned, byte arrays as lists and device entries as path:access. */
    static Map<String, String> byName(List<UnitProperty> props) {
        Map<String, String> out = new LinkedHashMap<>();
        for (UnitProperty p : props) {
            Object v = p.value();
            String shown = v instanceof Long l
                    ? Long.toUnsignedString(l)
                    : v instanceof byte[] b ? java.util.Arrays.toString(b) : String.valueOf(v);
            out.put(p.name(), shown);
        }
        return out;
    }

    @Test
    void v2NamesWithConvertedSharesSwapAndMasks() {
        Resources r = resources(
                memory(256L << 20, 128L << 20, 512L << 20),
                cpu(1024L, 50_000L, 100_000L, "0-1,9", "0"),
                100L,
                Map.of("memory.high", "max"));
        Map<String, String> p =
                byName(ResourceProperties.of(r, true, "", "config.json").properties());
        assertEquals(Long.toString(256L << 20), p.get("MemoryMax"));
        assertEquals(Long.toString(128L << 20), p.get("MemoryLow"));
        assertEquals(Long.toString(256L << 20), p.get("MemorySwapMax"), "v2's swap is swap alone: 512M - 256M");
        assertEquals("100", p.get("CPUWeight"), "the default 1024 shares are the default weight");
        assertEquals("100000", p.get("CPUQuotaPeriodUSec"));
        assertEquals("500000", p.get("CPUQuotaPerSecUSec"));
        assertEquals("[3, 2]", p.get("AllowedCPUs"), "CPUs 0, 1 in byte 0; CPU 9 is bit 1 of byte 1");
        assertEquals("[1]", p.get("AllowedMemoryNodes"));
        assertEquals("100", p.get("TasksMax"));
        assertEquals("18446744073709551615", p.get("MemoryHigh"), "\"max\" is systemd's infinity");
        assertEquals(null, p.get("MemoryLimit"));
        assertEquals(null, p.get("CPUShares"));
    }

    @Test
    void v1NamesAsRuncsLegacyManager() {
        Resources r = new Resources(
                null,
                memory(64L << 20, 32L << 20, null),
                cpu(512L, null, null, "0", "0"),
                new PidsResources(-1L),
                new BlockIo(300, null, null, null, null, null, null),
                null,
                null,
                null,
                null);
        Map<String, String> p =
                byName(ResourceProperties.of(r, false, "", "config.json").properties());
        assertEquals(Long.toString(64L << 20), p.get("MemoryLimit"));
        assertEquals("512", p.get("CPUShares"));
        assertEquals("300", p.get("BlockIOWeight"));
        assertEquals("18446744073709551615", p.get("TasksMax"), "-1: no limit");
        assertEquals(List.of("MemoryLimit", "CPUShares", "BlockIOWeight", "TasksMax"), List.copyOf(p.keySet()));
    }

    @Test
    void quotaIsRoundedUpToWholePercentsAndAPeriodAloneMeansNoLimit() {
        List<UnitProperty> out = new ArrayList<>();
        ResourceProperties.quota(out, 12_345, 100_000);
        assertEquals("130000", byName(out).get("CPUQuotaPerSecUSec"), "123450 µs/s rounds up to 13%");
        out.clear();
        ResourceProperties.quota(out, 20_000, 0);
        assertEquals(Map.of("CPUQuotaPerSecUSec", "200000"), byName(out), "the kernel's default period, 100 ms");
        out.clear();
        ResourceProperties.quota(out, -1, 50_000);
        assertEquals("50000", byName(out).get("CPUQuotaPeriodUSec"));
        assertEquals("18446744073709551615", byName(out).get("CPUQuotaPerSecUSec"));
        out.clear();
        ResourceProperties.quota(out, 0, 0);
        assertTrue(out.isEmpty());
    }

    @Test
    void unsetFieldsGiveNoPropertySoAnUpdateLeavesThemAlone() {
        Resources r = resources(memory(100L << 20, null, null), null, 0L, null);
        assertEquals(
                Map.of("MemoryMax", Long.toString(100L << 20)),
                byName(ResourceProperties.of(r, true, "", "update").properties()));
        assertTrue(ResourceProperties.of(null, true, "", "update").properties().isEmpty());
    }

    @Test
    void masksAreLittleEndianBytes() {
        assertArrayEquals(new byte[] {1}, ResourceProperties.mask("0"));
        assertArrayEquals(new byte[] {0, 0, 1}, ResourceProperties.mask("16"));
        assertArrayEquals(new byte[] {(byte) 0xff, 1}, ResourceProperties.mask("0-8"));
    }
}
