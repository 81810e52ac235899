package org.jrunc.seccomp;

import java.util.List;

/**
 * A compiled linux.seccomp, ready for seccomp(SECCOMP_SET_MODE_FILTER, flags, &amp;{program.length / 8, program}).
 *
 * @param program    classic BPF: struct sock_filter array, host byte order
 * @param flags      the seccomp(2) flags; includes SECCOMP_FILTER_FLAG_NEW_LISTENER when {@code usesNotify}
 * @param usesNotify the profile has SCMP_ACT_NOTIFY rules, so installing returns a listener fd for the agent
 * @param warnings   what was left out (unknown syscalls, unsupported flags or architectures), one line each, for the
 *                   caller to log
 */
public record CompiledFilter(byte[] program, int flags, boolean usesNotify, List<String> warnings) {
    public CompiledFilter {
        warnings = List.copyOf(warnings);
    }

    public int instructions() {
        return program.length / BpfAssembler.INSN_SIZE;
    }
}
