package org.jrunc.cgroups.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.cgroups.DeviceAccessRule;
import org.jrunc.cgroups.DeviceEmulator;
import org.jrunc.sys.Bpf;
import org.jrunc.sys.Errno;
import org.jrunc.sys.SyscallException;

/**
 * The cgroup v2 device allow-list: a BPF_PROG_TYPE_CGROUP_DEVICE program built from the OCI rules and attached to the
 * container's cgroup directory.
 *
 * <p>The rules first go through {@link DeviceEmulator}, as in runc, so the program encodes the state a v1 devices
 * cgroup would reach with the same ordered list (a later rule overrides an earlier one). The emulated state is a
 * default plus exceptions that all point the other way, so the program is: compare the request with each exception in
 * turn, return the exception's verdict on the first match, else return the default. Matching follows the v1 kernel:
 * in deny-by-default mode an exception allows a request only if it grants every requested access bit; in
 * allow-by-default mode it denies a request that asks for any of its bits. (runc checks "every bit" in both modes,
 * which lets an O_RDWR open through a rule that denies only "w".)
 *
 * <p>Program layout (struct bpf_cgroup_dev_ctx: u32 access_type = type | access &lt;&lt; 16, u32 major, u32 minor):
 * <pre>
 *   r2 = ctx->access_type &amp; 0xffff   ; device type
 *   r3 = ctx->access_type &gt;&gt; 16     ; requested access
 *   r4 = ctx->major
 *   r5 = ctx->minor
 *   per exception: if r2 != type goto next; [access test]; if r4 != major goto next; if r5 != minor goto next;
 *                  r0 = verdict; exit
 *   r0 = default; exit
 * </pre>
 */
public final class DeviceFilter {
    public static final String LICENSE = "Apache";
    private static final String PROGRAM_NAME = "jrunc_devices";

    // opcodes (include/uapi/linux/bpf_common.h, bpf.h)
    static final int LDX_MEM_W = 0x61; // BPF_LDX | BPF_MEM | BPF_W
    static final int ALU32_AND_K = 0x54; // BPF_ALU | BPF_AND | BPF_K
    static final int ALU32_RSH_K = 0x74; // BPF_ALU | BPF_RSH | BPF_K
    static final int ALU32_MOV_K = 0xb4; // BPF_ALU | BPF_MOV | BPF_K
    static final int ALU32_MOV_X = 0xbc; // BPF_ALU | BPF_MOV | BPF_X
    static final int JMP_JNE_K = 0x55; // BPF_JMP | BPF_JNE | BPF_K
    static final int JMP_JNE_X = 0x5d; // BPF_JMP | BPF_JNE | BPF_X
    static final int JMP_JEQ_K = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
    static final int JMP_EXIT = 0x95; // BPF_JMP | BPF_EXIT

    /** One struct bpf_insn. */
    public record Insn(int code, int dst, int src, int off, int imm) {}

    /** A generated program: its instructions and the verdict for devices no rule mentions. */
    public record Program(List<Insn> instructions, boolean defaultAllow) {
        /** The instructions as the kernel takes them (little-endian, as on x86_64 and aarch64). */
        public byte[] bytes() {
            ByteBuffer b =
                    ByteBuffer.allocate(instructions.size() * Bpf.INSN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            for (Insn i : instructions) {
                b.put((byte) i.code())
                        .put((byte) ((i.src() << 4) | i.dst()))
                        .putShort((short) i.off())
                        .putInt(i.imm());
            }
            return b.array();
        }
    }

    /** Installs a program on a cgroup directory; the seam that lets the mapping be tested without bpf(2). */
    public interface Installer {
        void install(String cgroupDir, Program program);
    }

    private DeviceFilter() {}

    /** The program for OCI-ordered rules; throws IllegalArgumentException for a rule v1 could not express either. */
    public static Program program(List<DeviceAccessRule> rules) {
        return generate(DeviceEmulator.of(rules));
    }

    static Program generate(DeviceEmulator state) {
        List<Insn> out = new ArrayList<>();
        out.add(new Insn(LDX_MEM_W, 2, 1, 0, 0));
        out.add(new Insn(ALU32_AND_K, 2, 0, 0, 0xFFFF));
        out.add(new Insn(LDX_MEM_W, 3, 1, 0, 0));
        out.add(new Insn(ALU32_RSH_K, 3, 0, 0, 16));
        out.add(new Insn(LDX_MEM_W, 4, 1, 4, 0));
        out.add(new Insn(LDX_MEM_W, 5, 1, 8, 0));
        for (DeviceAccessRule r : state.rules()) {
            if (r.type() == 'a') {
                continue; // only ever first, selecting allow-by-default mode: that is the final verdict below
            }
            out.addAll(block(r));
        }
        out.add(new Insn(ALU32_MOV_K, 0, 0, 0, state.defaultAllow() ? 1 : 0));
        out.add(new Insn(JMP_EXIT, 0, 0, 0, 0));
        return new Program(List.copyOf(out), state.defaultAllow());
    }

    /** One exception; every jump with off = -1 is patched to skip to the end of the block. */
    private static List<Insn> block(DeviceAccessRule r) {
        List<Insn> b = new ArrayList<>();
        b.add(new Insn(JMP_JNE_K, 2, 0, -1, r.type() == 'b' ? Bpf.BPF_DEVCG_DEV_BLOCK : Bpf.BPF_DEVCG_DEV_CHAR));
        if (r.allow() && r.access() != DeviceAccessRule.ALL) {
            // allow only if the request is a subset: (r3 & access) == r3
            b.add(new Insn(ALU32_MOV_X, 1, 3, 0, 0));
            b.add(new Insn(ALU32_AND_K, 1, 0, 0, r.access()));
            b.add(new Insn(JMP_JNE_X, 1, 3, -1, 0));
        } else if (!r.allow() && r.access() != DeviceAccessRule.ALL) {
            // deny if the request shares any bit: (r3 & access) != 0
            b.add(new Insn(ALU32_MOV_X, 1, 3, 0, 0));
            b.add(new Insn(ALU32_AND_K, 1, 0, 0, r.access()));
            b.add(new Insn(JMP_JEQ_K, 1, 0, -1, 0));
        }
        if (r.major() >= 0) {
            // numbers above 2^31 match nothing (sign extension); Linux device numbers stop at 2^20
            b.add(new Insn(JMP_JNE_K, 4, 0, -1, (int) r.major()));
        }
        if (r.minor() >= 0) {
            b.add(new Insn(JMP_JNE_K, 5, 0, -1, (int) r.minor()));
        }
        b.add(new Insn(ALU32_MOV_K, 0, 0, 0, r.allow() ? 1 : 0));
        b.add(new Insn(JMP_EXIT, 0, 0, 0, 0));
        for (int i = 0; i < b.size(); i++) {
            Insn in = b.get(i);
            if (in.off() == -1) {
                b.set(i, new Insn(in.code(), in.dst(), in.src(), b.size() - (i + 1), in.imm()));
            }
        }
        return b;
    }

    /** The real installer: bpf(2) on the running kernel. */
    public static Installer kernelInstaller() {
        return DeviceFilter::attach;
    }

    /**
     * Loads {@code program} and makes it the only device program attached directly to {@code cgroupDir}. With one old
     * program (an update) the swap is atomic through BPF_F_REPLACE; otherwise the new program is attached first and
     * the old ones detached after, so the cgroup is never without a filter in between (both apply meanwhile, which
     * can only deny more).
     */
    public static void attach(String cgroupDir, Program program) {
        int dirFd = Bpf.openCgroup(cgroupDir);
        try {
            int progFd = Bpf.loadCgroupDeviceProgram(program.bytes(), LICENSE, PROGRAM_NAME);
            List<Integer> oldFds = new ArrayList<>();
            try {
                for (int id : Bpf.query(dirFd, Bpf.BPF_CGROUP_DEVICE)) {
                    int fd = Bpf.programFd(id);
                    if (fd >= 0) {
                        oldFds.add(fd);
                    }
                }
                if (oldFds.size() == 1 && replace(dirFd, progFd, oldFds.get(0))) {
                    return;
                }
                Bpf.attach(dirFd, progFd, Bpf.BPF_CGROUP_DEVICE, Bpf.BPF_F_ALLOW_MULTI, -1);
                for (int old : oldFds) {
                    Bpf.detach(dirFd, old, Bpf.BPF_CGROUP_DEVICE);
                }
            } finally {
                oldFds.forEach(Bpf::close);
                Bpf.close(progFd);
            }
        } finally {
            Bpf.close(dirFd);
        }
    }

    /** BPF_F_REPLACE (kernel 5.6+); false when the kernel does not know the flag (EINVAL). */
    private static boolean replace(int dirFd, int progFd, int oldFd) {
        try {
            Bpf.attach(dirFd, progFd, Bpf.BPF_CGROUP_DEVICE, Bpf.BPF_F_ALLOW_MULTI, oldFd);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.EINVAL) {
                return false;
            }
            throw e;
        }
    }

    /** The ids of the device programs attached directly to {@code cgroupDir} (for tests and diagnostics). */
    public static int[] attachedPrograms(String cgroupDir) {
        int dirFd = Bpf.openCgroup(cgroupDir);
        try {
            return Bpf.query(dirFd, Bpf.BPF_CGROUP_DEVICE);
        } finally {
            Bpf.close(dirFd);
        }
    }
}
