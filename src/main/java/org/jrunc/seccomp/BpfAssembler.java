package org.jrunc.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal classic-BPF assembler with forward labels, for the few instructions the -ENOSYS stub needs. The output is
 * an array of struct sock_filter {u16 code; u8 jt; u8 jf; u32 k} in host byte order, like seccomp_export_bpf's.
 * Jumps are relative and forward only, so a program whose labels point at its end can be put in front of another.
 */
final class BpfAssembler {
    static final int INSN_SIZE = 8;
    private static final int LD_W_ABS = 0x20;
    private static final int JMP_JA = 0x05;
    private static final int JMP_JEQ_K = 0x15;
    private static final int JMP_JGT_K = 0x25;
    private static final int JMP_JSET_K = 0x45;
    private static final int RET_K = 0x06;
    private static final int MAX_COND_JUMP = 0xff;

    /** A position in the program; null as a jump target means the next instruction. */
    static final class Label {
        private int at = -1;
    }

    /** {@code to} is the target of an unconditional jump, encoded in k. */
    private record Insn(int code, Label jt, Label jf, int k, Label to) {}

    private final List<Insn> insns = new ArrayList<>();

    /** Binds a label to where the next instruction will go (the end of the program if none follows). */
    void bind(Label l) {
        if (l.at >= 0) {
            throw new IllegalStateException("BPF label bound twice");
        }
        l.at = insns.size();
    }

    /** A = the 32-bit word at this offset of struct seccomp_data (0: nr, 4: arch). */
    void loadWord(int offset) {
        insns.add(new Insn(LD_W_ABS, null, null, offset, null));
    }

    void jumpIfEqual(int k, Label yes, Label no) {
        insns.add(new Insn(JMP_JEQ_K, yes, no, k, null));
    }

    /** Unsigned A &gt; k. */
    void jumpIfGreater(int k, Label yes, Label no) {
        insns.add(new Insn(JMP_JGT_K, yes, no, k, null));
    }

    void jumpIfAnySet(int bits, Label yes, Label no) {
        insns.add(new Insn(JMP_JSET_K, yes, no, bits, null));
    }

    void jump(Label to) {
        insns.add(new Insn(JMP_JA, null, null, 0, to));
    }

    void ret(int k) {
        insns.add(new Insn(RET_K, null, null, k, null));
    }

    boolean isEmpty() {
        return insns.isEmpty();
    }

    /** The program; every label used must be bound by now. */
    byte[] assemble() {
        ByteBuffer out = ByteBuffer.allocate(insns.size() * INSN_SIZE).order(ByteOrder.nativeOrder());
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            out.putShort((short) insn.code);
            out.put((byte) offset(i, insn.jt, MAX_COND_JUMP));
            out.put((byte) offset(i, insn.jf, MAX_COND_JUMP));
            out.putInt(insn.to == null ? insn.k : offset(i, insn.to, Integer.MAX_VALUE));
        }
        return out.array();
    }

    /** Jumps count the instructions skipped after the jump itself. */
    private static int offset(int from, Label to, int max) {
        if (to == null) {
            return 0;
        }
        if (to.at < 0) {
            throw new IllegalStateException("BPF label never bound");
        }
        int skip = to.at - from - 1;
        if (skip < 0 || skip > max) {
            throw new IllegalStateException("BPF jump of " + skip + " instructions cannot be encoded");
        }
        return skip;
    }
}
