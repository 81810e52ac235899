package org.jrunc.stage.protocol;

import org.jrunc.caps.CapabilityPlan;
import org.jrunc.stage.protocol.ProcessPlan.MemoryPolicyPlan;
import org.jrunc.stage.protocol.ProcessPlan.RlimitPlan;
import org.jrunc.stage.protocol.ProcessPlan.SeccompPlan;
import org.jrunc.sys.SchedAttr;

/**
 * The binary form of a {@link ProcessPlan} and the records in it; fields in declaration order (the plan read back
 * through its builder, one named field after the other).
 */
final class ProcessCodecs {
    private ProcessCodecs() {}

    static final FieldCodec<CapabilityPlan> CAPABILITIES = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, CapabilityPlan c) {
            w.i64(c.bounding());
            w.i64(c.effective());
            w.i64(c.inheritable());
            w.i64(c.permitted());
            w.i64(c.ambient());
        }

        @Override
        public CapabilityPlan read(PlanReader r) {
            return new CapabilityPlan(r.i64(), r.i64(), r.i64(), r.i64(), r.i64());
        }
    };

    static final FieldCodec<SeccompPlan> SECCOMP = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, SeccompPlan s) {
            w.bytes(s.program());
            w.i32(s.flags());
            w.bool(s.usesNotify());
            w.string(s.listenerMetadata());
        }

        @Override
        public SeccompPlan read(PlanReader r) {
            return new SeccompPlan(r.bytes(), r.i32(), r.bool(), r.string());
        }
    };

    static final FieldCodec<RlimitPlan> RLIMIT = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, RlimitPlan l) {
            w.i32(l.resource());
            w.string(l.name());
            w.i64(l.soft());
            w.i64(l.hard());
        }

        @Override
        public RlimitPlan read(PlanReader r) {
            return new RlimitPlan(r.i32(), r.string(), r.i64(), r.i64());
        }
    };

    static final FieldCodec<SchedAttr> SCHEDULER = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, SchedAttr s) {
            w.i32(s.policy());
            w.i64(s.flags());
            w.i32(s.nice());
            w.i32(s.priority());
            w.i64(s.runtime());
            w.i64(s.deadline());
            w.i64(s.period());
        }

        @Override
        public SchedAttr read(PlanReader r) {
            return new SchedAttr(r.i32(), r.i64(), r.i32(), r.i32(), r.i64(), r.i64(), r.i64());
        }
    };

    static final FieldCodec<MemoryPolicyPlan> MEMORY_POLICY = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, MemoryPolicyPlan m) {
            w.string(m.name());
            w.i32(m.mode());
            w.longs(m.nodes());
        }

        @Override
        public MemoryPolicyPlan read(PlanReader r) {
            return new MemoryPolicyPlan(r.string(), r.i32(), r.longs());
        }
    };

    static final FieldCodec<ProcessPlan> PROCESS = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, ProcessPlan p) {
            w.strings(p.args());
            w.strings(p.env());
            w.string(p.cwd());
            w.bool(p.terminal());
            w.i32(p.consoleHeight());
            w.i32(p.consoleWidth());
            w.i64(p.uid());
            w.i64(p.gid());
            w.longs(p.additionalGids());
            w.optInt(p.umask());
            w.value(p.capabilities(), CAPABILITIES);
            w.bool(p.noNewPrivileges());
            w.value(p.seccomp(), SECCOMP);
            w.list(p.rlimits(), RLIMIT);
            w.optLong(p.personality());
            w.value(p.scheduler(), SCHEDULER);
            w.optInt(p.ioPriority());
            w.value(p.memoryPolicy(), MEMORY_POLICY);
            w.string(p.apparmorProfile());
            w.string(p.selinuxLabel());
            w.i32(p.preserveFds());
        }

        @Override
        public ProcessPlan read(PlanReader r) {
            return ProcessPlan.builder()
                    .args(r.strings())
                    .env(r.strings())
                    .cwd(r.string())
                    .terminal(r.bool())
                    .consoleHeight(r.i32())
                    .consoleWidth(r.i32())
                    .uid(r.i64())
                    .gid(r.i64())
                    .additionalGids(r.longs())
                    .umask(r.optInt())
                    .capabilities(r.value(CAPABILITIES))
                    .noNewPrivileges(r.bool())
                    .seccomp(r.value(SECCOMP))
                    .rlimits(r.list(RLIMIT))
                    .personality(r.optLong())
                    .scheduler(r.value(SCHEDULER))
                    .ioPriority(r.optInt())
                    .memoryPolicy(r.value(MEMORY_POLICY))
                    .apparmorProfile(r.string())
                    .selinuxLabel(r.string())
                    .preserveFds(r.i32())
                    .build();
        }
    };
}
