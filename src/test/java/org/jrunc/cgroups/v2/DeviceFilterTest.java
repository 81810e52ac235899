package org.jrunc.cgroups.v2;

import static org.jrunc.cgroups.Res.rule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.jrunc.cgroups.DeviceAccessRule;
import org.jrunc.cgroups.DeviceRuleTranslator;
import org.jrunc.config.ConfigException;
import org.jrunc.config.DeviceRule;
import org.junit.jupiter.api.Test;

/** The eBPF program generator, checked by running the generated code in a tiny interpreter of the opcodes it uses. */
public class DeviceFilterTest {
    private static final int R = DeviceAccessRule.READ;
    private static final int W = DeviceAccessRule.WRITE;
    private static final int M = DeviceAccessRule.MKNOD;
    private static final int CHAR = 2;
    private static final int BLOCK = 1;

    static DeviceFilter.Program program(DeviceRule... rules) {
        return DeviceFilter.program(DeviceRuleTranslator.translate(Arrays.asList(rules), "config.json"));
    }

    /** Runs the program on one access like the kernel's bpf_cgroup_dev_ctx; returns 1 (allow) or 0 (deny). */
    public static int run(DeviceFilter.Program p, int type, int access, long major, long minor) {
        long[] ctx = {type | ((long) access << 16), major, minor};
        long[] r = new long[11];
        List<DeviceFilter.Insn> code = p.instructions();
        for (int pc = 0; pc < code.size(); pc++) {
            DeviceFilter.Insn i = code.get(pc);
            long imm = i.imm(); // sign-extended, as the kernel does for 64-bit compares
            switch (i.code()) {
                case DeviceFilter.LDX_MEM_W -> {
                    assertEquals(1, i.src());
                    r[i.dst()] = ctx[i.off() / 4] & 0xFFFFFFFFL;
                }
                case DeviceFilter.ALU32_AND_K -> r[i.dst()] = r[i.dst()] & imm & 0xFFFFFFFFL;
                case DeviceFilter.ALU32_RSH_K -> r[i.dst()] = (r[i.dst()] & 0xFFFFFFFFL) >>> imm;
                case DeviceFilter.ALU32_MOV_K -> r[i.dst()] = imm & 0xFFFFFFFFL;
                case DeviceFilter.ALU32_MOV_X -> r[i.dst()] = r[i.src()] & 0xFFFFFFFFL;
                case DeviceFilter.JMP_JNE_K -> pc += r[i.dst()] != imm ? i.off() : 0;
                case DeviceFilter.JMP_JNE_X -> pc += r[i.dst()] != r[i.src()] ? i.off() : 0;
                case DeviceFilter.JMP_JEQ_K -> pc += r[i.dst()] == imm ? i.off() : 0;
                case DeviceFilter.JMP_EXIT -> {
                    return (int) r[0];
                }
                default -> throw new AssertionError("unexpected opcode " + i.code());
            }
            assertTrue(pc + 1 <= code.size(), "jump out of the program");
        }
        throw new AssertionError("fell off the end");
    }

    @Test
    void allowListDeniesEverythingElse() {
        DeviceFilter.Program p = program(
                rule(false, null, null, null, "rwm"), rule(true, "c", 1L, 3L, "rwm"), rule(true, "c", 1L, 5L, "rw"));
        assertEquals(1, run(p, CHAR, R | W, 1, 3));
        assertEquals(1, run(p, CHAR, M, 1, 3));
        assertEquals(0, run(p, CHAR, R, 1, 9)); // not listed
        assertEquals(0, run(p, BLOCK, R, 1, 3)); // wrong type
        assertEquals(1, run(p, CHAR, R | W, 1, 5));
        assertEquals(0, run(p, CHAR, M, 1, 5)); // only rw granted
    }

    @Test
    void aLaterRuleOverridesAnEarlierOne() {
        DeviceFilter.Program p = program(
                rule(false, "a", null, null, "rwm"), rule(true, "c", 1L, 3L, "rwm"), rule(false, "c", 1L, 3L, "w"));
        assertEquals(1, run(p, CHAR, R, 1, 3));
        assertEquals(0, run(p, CHAR, W, 1, 3));
        assertEquals(0, run(p, CHAR, R | W, 1, 3));
        assertEquals(1, run(p, CHAR, M, 1, 3));
        // a final "deny all" wins over everything before it
        DeviceFilter.Program none = program(rule(true, "c", 1L, 3L, "rwm"), rule(false, "a", null, null, "rwm"));
        assertEquals(0, run(none, CHAR, R, 1, 3));
    }

    @Test
    void allowByDefaultDeniesAnyRequestTouchingADeniedBit() {
        DeviceFilter.Program p = program(rule(true, "a", null, null, "rwm"), rule(false, "c", 1L, 3L, "w"));
        assertTrue(p.defaultAllow());
        assertEquals(1, run(p, CHAR, R, 1, 3));
        assertEquals(0, run(p, CHAR, W, 1, 3));
        assertEquals(0, run(p, CHAR, R | W, 1, 3)); // O_RDWR asks for w too: denied, as v1 does
        assertEquals(1, run(p, BLOCK, R | W, 8, 0));
    }

    @Test
    void wildcardsMatchAnyNumber() {
        DeviceFilter.Program p = program(
                rule(false, "a", null, null, null),
                rule(true, "c", null, null, "m"),
                rule(true, "b", null, null, "m"),
                rule(true, "c", 136L, null, "rwm"),
                rule(true, "c", -1L, 229L, "r"));
        assertEquals(1, run(p, CHAR, M, 4, 7));
        assertEquals(1, run(p, BLOCK, M, 8, 0));
        assertEquals(1, run(p, CHAR, R | W, 136, 5));
        assertEquals(0, run(p, CHAR, R, 4, 7));
        assertEquals(1, run(p, CHAR, R, 10, 229));
        assertEquals(0, run(p, CHAR, W, 10, 229));
    }

    @Test
    void emptyAndAllowAllPrograms() {
        DeviceFilter.Program none = program();
        assertEquals(0, run(none, CHAR, R, 1, 3));
        assertEquals(8, none.instructions().size()); // 6 loads, mov, exit
        DeviceFilter.Program all = program(rule(true, "a", null, null, "rwm"));
        assertEquals(1, run(all, BLOCK, R | W | M, 8, 0));
    }

    @Test
    void holesInWildcardRulesAreRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> program(rule(true, "c", null, null, "rwm"), rule(false, "c", 1L, 3L, "rwm")));
        assertTrue(
                e.getMessage().contains("c 1:3 rwm cannot take access away from the wider rule c *:* rwm"),
                e.getMessage());
    }

    @Test
    void encodesStructBpfInsnLittleEndian() {
        DeviceFilter.Program p = program(rule(true, "c", 1L, 3L, "r"));
        byte[] b = p.bytes();
        assertEquals(p.instructions().size() * 8, b.length);
        // ldxw r2, [r1 + 0]: code 0x61, regs src=1 dst=2, off 0, imm 0
        assertArrayEquals(new byte[] {0x61, 0x12, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(b, 0, 8));
        // ldxw r4, [r1 + 4]
        assertArrayEquals(new byte[] {0x61, 0x14, 4, 0, 0, 0, 0, 0}, Arrays.copyOfRange(b, 32, 40));
        // first block: jne r2, 2 (char), +N
        DeviceFilter.Insn jne = p.instructions().get(6);
        assertEquals(DeviceFilter.JMP_JNE_K, jne.code());
        assertEquals(2, jne.imm());
        assertEquals(7, jne.off()); // skips the rest of its block: mov, and, jne, jne, jne, mov r0, exit
        assertEquals(
                List.of(0x55, 0xbc, 0x54, 0x5d, 0x55, 0x55, 0xb4, 0x95, 0xb4, 0x95),
                p.instructions().subList(6, 16).stream()
                        .map(DeviceFilter.Insn::code)
                        .toList());
    }

    @Test
    void translatorValidatesRules() {
        assertEquals(
                "config.json: field linux.resources.devices[1].type: \"x\" is not a device type (a, c or b)",
                assertThrows(
                                ConfigException.class,
                                () -> program(rule(true, "a", null, null, "rwm"), rule(true, "x", 1L, 1L, "r")))
                        .getMessage());
        assertEquals(
                "config.json: field linux.resources.devices[0].access: \"rwx\" is not a subset of \"rwm\"",
                assertThrows(ConfigException.class, () -> program(rule(true, "c", 1L, 1L, "rwx")))
                        .getMessage());
        assertEquals(
                "config.json: field linux.resources.devices[0].major: -2 is not a device number (-1 for any, "
                        + "or 0 to 4294967295)",
                assertThrows(ConfigException.class, () -> program(rule(true, "c", -2L, 1L, "r")))
                        .getMessage());
        assertEquals(
                "config.json: field linux.resources.devices[0].allow: null is not allowed: allow is required",
                assertThrows(
                                ConfigException.class,
                                () -> DeviceRuleTranslator.translate(
                                        List.of(new DeviceRule(null, "c", 1L, 3L, "r")), "config.json"))
                        .getMessage());
    }
}
