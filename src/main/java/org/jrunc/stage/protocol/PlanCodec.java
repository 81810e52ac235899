package org.jrunc.stage.protocol;

import org.jrunc.hooks.HookSpec;

/**
 * The plans the runtime sends its stage JVMs, in a small binary form of their own: the init's {@link InitPlan} and
 * the exec stage's {@link ExecPlan}. Both ends run the same jar, so the format has no version; a leading kind byte
 * tells the two plans apart. Decoding builds nothing but these records, their lists and the state JSON, and reports
 * a truncated or corrupt payload as a {@link org.jrunc.JruncException}.
 *
 * <p>Written by hand rather than with Java serialization, which spins method handles on its first use: that cost
 * tens of milliseconds in every fresh stage JVM.
 */
public final class PlanCodec {
    private static final int INIT_PLAN = 'I';
    private static final int EXEC_PLAN = 'E';

    private PlanCodec() {}

    static final FieldCodec<HookSpec> HOOK = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, HookSpec h) {
            w.string(h.path());
            w.strings(h.args());
            w.strings(h.env());
            w.i32(h.timeoutSeconds());
        }

        @Override
        public HookSpec read(PlanReader r) {
            return new HookSpec(r.string(), r.strings(), r.strings(), r.i32());
        }
    };

    static final FieldCodec<InitFds> FDS = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, InitFds f) {
            w.i32(f.fifo());
            w.i32(f.console());
            w.i32(f.seccompListener());
            w.i32(f.log());
            w.ints(f.containerCgroupProcs());
            w.i32(f.pidNamespace());
            w.i32(f.mountNamespace());
            w.i32(f.runtimeMountNamespace());
            w.ints(f.mountSources());
        }

        @Override
        public InitFds read(PlanReader r) {
            return InitFds.builder()
                    .fifo(r.i32())
                    .console(r.i32())
                    .seccompListener(r.i32())
                    .log(r.i32())
                    .containerCgroupProcs(r.ints())
                    .pidNamespace(r.i32())
                    .mountNamespace(r.i32())
                    .runtimeMountNamespace(r.i32())
                    .mountSources(r.ints())
                    .build();
        }
    };

    static final FieldCodec<InitPlan> INIT = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, InitPlan p) {
            w.string(p.containerId());
            w.value(p.rootfs(), RootfsCodecs.ROOTFS);
            w.value(p.process(), ProcessCodecs.PROCESS);
            w.string(p.hostname());
            w.string(p.domainname());
            w.stringMap(p.sysctl());
            w.optInt(p.oomScoreAdj());
            w.list(p.createContainerHooks(), HOOK);
            w.list(p.startContainerHooks(), HOOK);
            w.bool(p.runtimeHooks());
            w.value(p.stateJson(), StateJsonCodec.INSTANCE);
            w.bool(p.logJson());
            w.value(p.fds(), FDS);
            w.bool(p.loopbackUp());
            w.bool(p.unshareCgroupNamespace());
        }

        @Override
        public InitPlan read(PlanReader r) {
            return InitPlan.builder()
                    .containerId(r.string())
                    .rootfs(r.value(RootfsCodecs.ROOTFS))
                    .process(r.value(ProcessCodecs.PROCESS))
                    .hostname(r.string())
                    .domainname(r.string())
                    .sysctl(r.stringMap())
                    .oomScoreAdj(r.optInt())
                    .createContainerHooks(r.list(HOOK))
                    .startContainerHooks(r.list(HOOK))
                    .runtimeHooks(r.bool())
                    .stateJson(r.value(StateJsonCodec.INSTANCE))
                    .logJson(r.bool())
                    .fds(r.value(FDS))
                    .loopbackUp(r.bool())
                    .unshareCgroupNamespace(r.bool())
                    .build();
        }
    };

    static final FieldCodec<ExecPlan> EXEC = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, ExecPlan p) {
            w.value(p.process(), ProcessCodecs.PROCESS);
            w.i32(p.mountNamespace());
            w.ints(p.cgroupProcs());
            w.i32(p.console());
            w.i32(p.pidNamespace());
            w.longs(p.initialCpus());
            w.longs(p.finalCpus());
            w.i32(p.seccompListener());
            w.value(p.stateJson(), StateJsonCodec.INSTANCE);
            w.i32(p.root());
        }

        @Override
        public ExecPlan read(PlanReader r) {
            return ExecPlan.builder()
                    .process(r.value(ProcessCodecs.PROCESS))
                    .mountNamespace(r.i32())
                    .cgroupProcs(r.ints())
                    .console(r.i32())
                    .pidNamespace(r.i32())
                    .initialCpus(r.longs())
                    .finalCpus(r.longs())
                    .seccompListener(r.i32())
                    .stateJson(r.value(StateJsonCodec.INSTANCE))
                    .root(r.i32())
                    .build();
        }
    };

    public static byte[] encode(InitPlan plan) {
        return encode(INIT_PLAN, plan, INIT);
    }

    public static byte[] encode(ExecPlan plan) {
        return encode(EXEC_PLAN, plan, EXEC);
    }

    public static InitPlan decodeInitPlan(byte[] payload) {
        return decode(payload, INIT_PLAN, INIT, "an init plan");
    }

    public static ExecPlan decodeExecPlan(byte[] payload) {
        return decode(payload, EXEC_PLAN, EXEC, "an exec plan");
    }

    private static <T> byte[] encode(int kind, T plan, FieldCodec<T> codec) {
        PlanWriter w = new PlanWriter();
        w.u8(kind);
        codec.write(w, plan);
        return w.toByteArray();
    }

    private static <T> T decode(byte[] payload, int kind, FieldCodec<T> codec, String what) {
        PlanReader r = new PlanReader(payload);
        int got = r.u8();
        if (got != kind) {
            throw r.corrupt("expected " + what + ", got kind " + got);
        }
        T plan = codec.read(r);
        r.end();
        return plan;
    }
}
