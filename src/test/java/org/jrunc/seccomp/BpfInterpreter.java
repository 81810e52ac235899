package org.jrunc.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a seccomp classic-BPF program on one struct seccomp_data, as the kernel would, for the instructions libseccomp
 * and the -ENOSYS stub emit. Anything else fails the test rather than being guessed at.
 */
final class BpfInterpreter {
    private static final int SECCOMP_DATA_SIZE = 64;

    private BpfInterpreter() {}

    /** The action the program returns for syscall {@code nr} on {@code arch} with these arguments (missing ones 0). */
    static int run(byte[] program, int arch, int nr, long... args) {
        ByteBuffer data = ByteBuffer.allocate(SECCOMP_DATA_SIZE).order(ByteOrder.nativeOrder());
        data.putInt(0, nr);
        data.putInt(4, arch);
        for (int i = 0; i < args.length; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        int[] mem = new int[16];
        int a = 0;
        int x = 0;
        int pc = 0;
        while (true) {
            int at = pc * 8;
            int op = code.getShort(at) & 0xffff;
            int jt = code.get(at + 2) & 0xff;
            int jf = code.get(at + 3) & 0xff;
            int k = code.getInt(at + 4);
            pc++;
            switch (op) {
                case 0x20 -> a = data.getInt(k); // ld [k]
                case 0x00 -> a = k; // ld #k
                case 0x60 -> a = mem[k]; // ld M[k]
                case 0x01 -> x = k; // ldx #k
                case 0x61 -> x = mem[k]; // ldx M[k]
                case 0x02 -> mem[k] = a; // st M[k]
                case 0x03 -> mem[k] = x; // stx M[k]
                case 0x54 -> a &= k; // and #k
                case 0x07 -> x = a; // tax
                case 0x87 -> a = x; // txa
                case 0x05 -> pc += k; // ja
                case 0x15 -> pc += a == k ? jt : jf; // jeq #k
                case 0x25 -> pc += Integer.compareUnsigned(a, k) > 0 ? jt : jf; // jgt #k
                case 0x35 -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf; // jge #k
                case 0x45 -> pc += (a & k) != 0 ? jt : jf; // jset #k
                case 0x06 -> { // ret #k
                    return k;
                }
                case 0x16 -> { // ret a
                    return a;
                }
                default ->
                    throw new AssertionError("unexpected BPF opcode 0x" + Integer.toHexString(op) + " at " + (pc - 1));
            }
        }
    }
}
