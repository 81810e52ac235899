package org.jrunc.stage.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jrunc.JruncException;
import org.jrunc.caps.CapabilityPlan;
import org.jrunc.hooks.HookSpec;
import org.jrunc.rootfs.CgroupMountSource;
import org.jrunc.rootfs.DevicePlan;
import org.jrunc.rootfs.MountPlan;
import org.jrunc.rootfs.RootfsPlan;
import org.jrunc.stage.protocol.ProcessPlan.RlimitPlan;
import org.jrunc.stage.protocol.ProcessPlan.SeccompPlan;
import org.jrunc.sys.SchedAttr;
import org.junit.jupiter.api.Test;

class PlanCodecTest {

    // ---- plans to round-trip ----

    /** Every field set to a value of its own, so that two fields read in swapped order cannot go unnoticed. */
    static ProcessPlan fullProcess() {
        return ProcessPlan.builder()
                .args(List.of("/bin/sh", "-c", "echo é ✓"))
                .env(List.of("PATH=/bin", "TERM=xterm"))
                .cwd("/work")
                .terminal(true)
                .consoleHeight(24)
                .consoleWidth(80)
                .uid(1000)
                .gid(1001)
                .additionalGids(new long[] {5, 6, 4294967294L})
                .umask(022)
                .capabilities(new CapabilityPlan(0x1fL, 0x2eL, 0x3dL, 0x4cL, 0x5bL))
                .noNewPrivileges(true)
                .seccomp(new SeccompPlan(new byte[] {6, 0, 0, 0, (byte) 0xff, 0x7f, 0, 0}, 3, true, "agent metadata"))
                .rlimits(List.of(
                        new RlimitPlan(7, "RLIMIT_NOFILE", 1024, 4096), new RlimitPlan(3, "RLIMIT_STACK", 8, 9)))
                .personality(8L)
                .scheduler(new SchedAttr(6, 2L, -5, 10, 300L, 400L, 500L))
                .ioPriority(0x4007)
                .memoryPolicy(new ProcessPlan.MemoryPolicyPlan("MPOL_BIND", 2 | 1 << 15, new long[] {0x81}))
                .apparmorProfile("unconfined")
                .selinuxLabel("system_u:object_r:x")
                .preserveFds(2)
                .build();
    }

    static RootfsPlan fullRootfs() {
        return RootfsPlan.builder()
                .rootfs("/bundle/rootfs")
                .readonly(true)
                .propagation(0x40000L)
                .noPivot(true)
                .mounts(List.of(
                        fullMount(),
                        MountPlan.builder()
                                .source("/src")
                                .destination("/dst")
                                .type("bind")
                                .flags(0x5000L)
                                .clearedFlags(1L)
                                .propagation(0x40000L)
                                .data("x")
                                .recAttrSet(3L)
                                .recAttrClr(4L)
                                .tmpcopyup(true)
                                .build()))
                .setupDev(true)
                .devices(List.of(fullDevice()))
                .bindDevices(true)
                .maskedPaths(List.of("/proc/kcore", "/proc/keys"))
                .readonlyPaths(List.of("/proc/sys"))
                .cgroupV2Only(true)
                .cgroupSources(List.of(new CgroupMountSource("memory", "/sys/fs/cgroup/memory/c", "cgroup", "memory")))
                .cgroupNamespace(true)
                .ownMountNamespace(true)
                .build();
    }

    static MountPlan fullMount() {
        return MountPlan.builder()
                .source("proc")
                .destination("/proc")
                .type("proc")
                .flags(0xeL)
                .clearedFlags(0x400L)
                .propagation(0x100000L)
                .data("hidepid=2")
                .recAttrSet(0x8L)
                .recAttrClr(0x2L)
                .tmpcopyup(true)
                .build();
    }

    static DevicePlan fullDevice() {
        return DevicePlan.builder()
                .path("/dev/fuse")
                .type('c')
                .major(10)
                .minor(229)
                .fileMode(0666)
                .uid(11)
                .gid(12)
                .build();
    }

    static InitPlan fullInitPlan() {
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put("z", "last-first");
        annotations.put("a", "b");
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("ociVersion", "1.2.1");
        state.put("id", "full");
        state.put("pid", 0L);
        state.put("int", -7);
        state.put("double", 1.5e3);
        state.put("big", new BigInteger("18446744073709551615"));
        state.put("negativeBig", new BigInteger("-18446744073709551617"));
        state.put("yes", true);
        state.put("no", false);
        state.put("nothing", null);
        state.put("list", new ArrayList<>(Arrays.asList(1L, "two", null, List.of(), Map.of())));
        state.put("annotations", annotations);
        Map<String, String> sysctl = new LinkedHashMap<>();
        sysctl.put("net.ipv4.ip_forward", "1");
        sysctl.put("kernel.msgmax", "8192");
        return InitPlan.builder()
                .containerId("full")
                .rootfs(fullRootfs())
                .process(fullProcess())
                .hostname("host")
                .domainname("domain")
                .sysctl(sysctl)
                .oomScoreAdj(-500)
                .createContainerHooks(List.of(new HookSpec("/bin/hook", List.of("hook", "create"), List.of("A=1"), 5)))
                .startContainerHooks(List.of(
                        new HookSpec("/bin/start", List.of("start"), List.of("B=2"), 6),
                        new HookSpec("/bin/start2", List.of("start2"), List.of("C=3"), 7)))
                .runtimeHooks(true)
                .stateJson(state)
                .logJson(true)
                .fds(InitFds.builder()
                        .fifo(3)
                        .console(4)
                        .seccompListener(5)
                        .log(6)
                        .containerCgroupProcs(new int[] {7, 8})
                        .pidNamespace(9)
                        .mountNamespace(15)
                        .runtimeMountNamespace(17)
                        .mountSources(new int[] {-1, 10})
                        .build())
                .loopbackUp(true)
                .unshareCgroupNamespace(true)
                .build();
    }

    static ExecPlan fullExecPlan() {
        return ExecPlan.builder()
                .process(fullProcess())
                .mountNamespace(9)
                .cgroupProcs(new int[] {10, 11})
                .console(12)
                .pidNamespace(13)
                .root(16)
                .initialCpus(new long[] {1})
                .finalCpus(new long[] {6, 1})
                .seccompListener(14)
                .stateJson(Map.of("status", "running"))
                .build();
    }

    /** Every field that can be null is (a builder leaves every field it is not given null, 0 or false). */
    static InitPlan nullInitPlan() {
        return InitPlan.builder().build();
    }

    /** Every record present, with every field of its own that can be null null, and lists holding a null. */
    static InitPlan hollowInitPlan() {
        ProcessPlan process = ProcessPlan.builder()
                .env(Arrays.asList("", null))
                .seccomp(new SeccompPlan(null, 0, false, null))
                .rlimits(Arrays.asList(new RlimitPlan(0, null, 0, 0), null))
                .build();
        RootfsPlan rootfs = RootfsPlan.builder()
                .mounts(Arrays.asList(MountPlan.builder().build(), null))
                .devices(Arrays.asList(DevicePlan.builder().build(), null))
                .readonlyPaths(List.of())
                .cgroupSources(Arrays.asList(new CgroupMountSource(null, null, null, null), null))
                .build();
        return InitPlan.builder()
                .containerId("")
                .rootfs(rootfs)
                .process(process)
                .sysctl(Map.of())
                .createContainerHooks(Arrays.asList(new HookSpec(null, null, null, 0), null))
                .startContainerHooks(List.of())
                .stateJson(Map.of())
                .fds(new InitFds(-1, -1, -1, -1, null, -1, -1, -1, null))
                .build();
    }

    static ExecPlan nullExecPlan() {
        return ExecPlan.builder()
                .mountNamespace(-1)
                .console(-1)
                .pidNamespace(-1)
                .seccompListener(-1)
                .build();
    }

    // ---- round trips ----

    @Test
    void fullPlansSetEveryField() {
        assertNoDefaults(fullInitPlan(), "InitPlan");
        assertNoDefaults(fullExecPlan(), "ExecPlan");
    }

    /** toBuilder carries every field over, and the withers change only their own. */
    @Test
    void toBuilderCopiesEveryField() {
        ProcessPlan p = fullProcess();
        assertDeepEquals(p, p.toBuilder().build(), "ProcessPlan");
        MountPlan m = fullMount();
        assertDeepEquals(m, m.toBuilder().build(), "MountPlan");
        assertDeepEquals(
                new MountPlan(
                        "/other",
                        m.destination(),
                        m.type(),
                        m.flags(),
                        m.clearedFlags(),
                        m.propagation(),
                        m.data(),
                        m.recAttrSet(),
                        m.recAttrClr(),
                        m.tmpcopyup()),
                m.toBuilder().source("/other").build(),
                "MountPlan");
        CapabilityPlan caps = new CapabilityPlan(1, 2, 3, 4, 5);
        assertDeepEquals(
                new ProcessPlan(
                        p.args(),
                        p.env(),
                        p.cwd(),
                        p.terminal(),
                        p.consoleHeight(),
                        p.consoleWidth(),
                        p.uid(),
                        p.gid(),
                        p.additionalGids(),
                        p.umask(),
                        caps,
                        p.noNewPrivileges(),
                        p.seccomp(),
                        p.rlimits(),
                        p.personality(),
                        p.scheduler(),
                        p.ioPriority(),
                        p.memoryPolicy(),
                        p.apparmorProfile(),
                        p.selinuxLabel(),
                        p.preserveFds()),
                p.withCapabilities(caps),
                "withCapabilities");
        List<String> env = List.of("X=1");
        assertDeepEquals(
                new ProcessPlan(
                        p.args(),
                        env,
                        p.cwd(),
                        p.terminal(),
                        p.consoleHeight(),
                        p.consoleWidth(),
                        p.uid(),
                        p.gid(),
                        p.additionalGids(),
                        p.umask(),
                        p.capabilities(),
                        p.noNewPrivileges(),
                        p.seccomp(),
                        p.rlimits(),
                        p.personality(),
                        p.scheduler(),
                        p.ioPriority(),
                        p.memoryPolicy(),
                        p.apparmorProfile(),
                        p.selinuxLabel(),
                        p.preserveFds()),
                p.withEnv(env),
                "withEnv");
    }

    /** Each builder setter fills the component of its name (neighbours of one type could otherwise trade values). */
    @Test
    void buildersSetTheFieldTheyName() {
        ProcessPlan p = fullProcess();
        assertEquals("/work", p.cwd());
        assertEquals(24, p.consoleHeight());
        assertEquals(80, p.consoleWidth());
        assertEquals(1000, p.uid());
        assertEquals(1001, p.gid());
        assertEquals(022, p.umask());
        assertEquals(0x4007, p.ioPriority());
        assertEquals("unconfined", p.apparmorProfile());
        assertEquals("system_u:object_r:x", p.selinuxLabel());
        assertEquals(2, p.preserveFds());
        assertEquals(List.of("/bin/sh", "-c", "echo é ✓"), p.args());
        assertEquals(List.of("PATH=/bin", "TERM=xterm"), p.env());
        RootfsPlan r = RootfsPlan.builder().readonly(true).build();
        assertTrue(
                r.readonly()
                        && !r.noPivot()
                        && !r.setupDev()
                        && !r.bindDevices()
                        && !r.cgroupV2Only()
                        && !r.cgroupNamespace(),
                "readonly");
        r = RootfsPlan.builder().noPivot(true).build();
        assertTrue(
                !r.readonly()
                        && r.noPivot()
                        && !r.setupDev()
                        && !r.bindDevices()
                        && !r.cgroupV2Only()
                        && !r.cgroupNamespace(),
                "noPivot");
        r = RootfsPlan.builder().setupDev(true).build();
        assertTrue(
                !r.readonly()
                        && !r.noPivot()
                        && r.setupDev()
                        && !r.bindDevices()
                        && !r.cgroupV2Only()
                        && !r.cgroupNamespace(),
                "setupDev");
        r = RootfsPlan.builder().bindDevices(true).build();
        assertTrue(
                !r.readonly()
                        && !r.noPivot()
                        && !r.setupDev()
                        && r.bindDevices()
                        && !r.cgroupV2Only()
                        && !r.cgroupNamespace(),
                "bindDevices");
        r = RootfsPlan.builder().cgroupV2Only(true).build();
        assertTrue(
                !r.readonly()
                        && !r.noPivot()
                        && !r.setupDev()
                        && !r.bindDevices()
                        && r.cgroupV2Only()
                        && !r.cgroupNamespace(),
                "cgroupV2Only");
        r = RootfsPlan.builder().cgroupNamespace(true).build();
        assertTrue(
                !r.readonly()
                        && !r.noPivot()
                        && !r.setupDev()
                        && !r.bindDevices()
                        && !r.cgroupV2Only()
                        && r.cgroupNamespace()
                        && !r.ownMountNamespace(),
                "cgroupNamespace");
        assertTrue(RootfsPlan.builder().ownMountNamespace(true).build().ownMountNamespace(), "ownMountNamespace");
        r = RootfsPlan.builder()
                .maskedPaths(List.of("/m"))
                .readonlyPaths(List.of("/r"))
                .build();
        assertEquals(List.of("/m"), r.maskedPaths());
        assertEquals(List.of("/r"), r.readonlyPaths());
        InitPlan i = InitPlan.builder()
                .hostname("h")
                .domainname("d")
                .runtimeHooks(true)
                .build();
        assertEquals("h", i.hostname());
        assertEquals("d", i.domainname());
        assertTrue(i.runtimeHooks() && !i.logJson());
        MountPlan m = fullMount();
        assertEquals("proc", m.source());
        assertEquals("/proc", m.destination());
        assertEquals("proc", m.type());
        assertEquals(0xeL, m.flags());
        assertEquals(0x400L, m.clearedFlags());
        assertEquals(0x100000L, m.propagation());
        assertEquals("hidepid=2", m.data());
        assertEquals(0x8L, m.recAttrSet());
        assertEquals(0x2L, m.recAttrClr());
        assertTrue(m.tmpcopyup());
        DevicePlan d = fullDevice();
        assertEquals("/dev/fuse", d.path());
        assertEquals('c', d.type());
        assertEquals(10, d.major());
        assertEquals(229, d.minor());
        assertEquals(0666, d.fileMode());
        assertEquals(11, d.uid());
        assertEquals(12, d.gid());
        ExecPlan x = fullExecPlan();
        assertEquals(9, x.mountNamespace());
        assertArrayEquals(new int[] {10, 11}, x.cgroupProcs());
        assertEquals(12, x.console());
        assertEquals(13, x.pidNamespace());
        assertEquals(16, x.root());
        assertEquals(15, fullInitPlan().fds().mountNamespace());
        assertEquals(17, fullInitPlan().fds().runtimeMountNamespace());
        InitPlan hooks = fullInitPlan();
        assertEquals("/bin/hook", hooks.createContainerHooks().get(0).path());
        assertEquals("/bin/start", hooks.startContainerHooks().get(0).path());
    }

    @Test
    void roundTripsAFullInitPlan() {
        InitPlan plan = fullInitPlan();
        assertDeepEquals(plan, PlanCodec.decodeInitPlan(PlanCodec.encode(plan)), "InitPlan");
    }

    @Test
    void roundTripsAFullExecPlan() {
        ExecPlan plan = fullExecPlan();
        assertDeepEquals(plan, PlanCodec.decodeExecPlan(PlanCodec.encode(plan)), "ExecPlan");
    }

    @Test
    void roundTripsNulls() {
        for (InitPlan plan : List.of(nullInitPlan(), hollowInitPlan())) {
            InitPlan back = PlanCodec.decodeInitPlan(PlanCodec.encode(plan));
            assertDeepEquals(plan, back, "InitPlan");
            assertEquals(plan, back);
        }
        assertDeepEquals(nullExecPlan(), PlanCodec.decodeExecPlan(PlanCodec.encode(nullExecPlan())), "ExecPlan");
    }

    @Test
    void theComparisonSeesADifference() {
        InitPlan a = fullInitPlan();
        InitPlan b = fullInitPlan();
        b.fds().containerCgroupProcs()[1] = 99;
        assertThrows(AssertionError.class, () -> assertDeepEquals(a, b, "InitPlan"));
    }

    @Test
    void stateJsonKeepsOrderAndNumberTypes() {
        InitPlan plan = fullInitPlan();
        Map<String, Object> back =
                PlanCodec.decodeInitPlan(PlanCodec.encode(plan)).stateJson();
        assertEquals(new ArrayList<>(plan.stateJson().keySet()), new ArrayList<>(back.keySet()));
        assertEquals(Integer.class, back.get("int").getClass());
        assertEquals(Long.class, back.get("pid").getClass());
        assertEquals(List.of("z", "a"), new ArrayList<>(((Map<?, ?>) back.get("annotations")).keySet()));
    }

    @Test
    void refusesToEncodeWhatIsNotJson() {
        InitPlan plan = nullInitPlan();
        InitPlan bad = InitPlan.builder().stateJson(Map.of("when", new Date())).build();
        assertThrows(IllegalArgumentException.class, () -> PlanCodec.encode(bad));
        assertNotNull(PlanCodec.encode(plan));
    }

    // ---- truncated and corrupt payloads ----

    @Test
    void everyTruncationIsAnError() {
        assertEveryPrefixFails(PlanCodec.encode(fullInitPlan()), PlanCodec::decodeInitPlan);
        assertEveryPrefixFails(PlanCodec.encode(hollowInitPlan()), PlanCodec::decodeInitPlan);
        assertEveryPrefixFails(PlanCodec.encode(fullExecPlan()), PlanCodec::decodeExecPlan);
    }

    @Test
    void everyCorruptByteDecodesOrFailsCleanly() {
        byte[] good = PlanCodec.encode(fullInitPlan());
        int[] replacements = {0x00, 0x01, 0x02, 0x09, 0x7f, 0x80, 0xff};
        for (int i = 0; i < good.length; i++) {
            for (int v : replacements) {
                byte[] bad = good.clone();
                bad[i] = (byte) v;
                try {
                    PlanCodec.decodeInitPlan(bad);
                } catch (JruncException expected) {
                    // a clean failure
                } catch (Throwable t) {
                    throw new AssertionError("byte " + i + " set to " + v + ": " + t, t);
                }
            }
        }
    }

    @Test
    void aHugeLengthIsBoundedByTheBytesLeft() {
        PlanWriter w = new PlanWriter();
        w.u8('I');
        w.i32(Integer.MAX_VALUE); // containerId's length
        JruncException e = assertThrows(JruncException.class, () -> PlanCodec.decodeInitPlan(w.toByteArray()));
        assertTrue(e.getMessage().startsWith("cannot read the plan: count 2147483647 does not fit"), e.getMessage());
    }

    @Test
    void aNegativeCountIsAnError() {
        PlanWriter w = new PlanWriter();
        w.u8('I');
        w.i32(-2);
        assertThrows(JruncException.class, () -> PlanCodec.decodeInitPlan(w.toByteArray()));
    }

    @Test
    void trailingBytesAreAnError() {
        byte[] good = PlanCodec.encode(fullExecPlan());
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        JruncException e = assertThrows(JruncException.class, () -> PlanCodec.decodeExecPlan(longer));
        assertTrue(e.getMessage().contains("1 bytes left over"), e.getMessage());
    }

    @Test
    void oneKindOfPlanIsNotTheOther() {
        byte[] exec = PlanCodec.encode(fullExecPlan());
        JruncException e = assertThrows(JruncException.class, () -> PlanCodec.decodeInitPlan(exec));
        assertTrue(e.getMessage().contains("expected an init plan"), e.getMessage());
        assertThrows(JruncException.class, () -> PlanCodec.decodeExecPlan(PlanCodec.encode(fullInitPlan())));
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        PlanWriter w = new PlanWriter();
        int levels = 100_000;
        for (int i = 0; i < levels; i++) {
            w.i32(1); // a map of one entry
            w.string("k");
            w.u8(9); // whose value is a map
        }
        w.i32(0);
        PlanReader r = new PlanReader(w.toByteArray());
        JruncException e = assertThrows(JruncException.class, () -> StateJsonCodec.INSTANCE.read(r));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    }

    @Test
    void anUnknownJsonTagIsAnError() {
        PlanWriter w = new PlanWriter();
        w.i32(1);
        w.string("k");
        w.u8(42);
        PlanReader r = new PlanReader(w.toByteArray());
        assertThrows(JruncException.class, () -> StateJsonCodec.INSTANCE.read(r));
    }

    private static void assertEveryPrefixFails(byte[] payload, Function<byte[], ?> decode) {
        decode.apply(payload);
        for (int n = 0; n < payload.length; n++) {
            byte[] prefix = Arrays.copyOf(payload, n);
            try {
                decode.apply(prefix);
                fail("a prefix of " + n + " of " + payload.length + " bytes was accepted");
            } catch (JruncException expected) {
                // a clean failure
            } catch (RuntimeException | Error e) {
                throw new AssertionError("a prefix of " + n + " bytes: " + e, e);
            }
        }
    }

    // ---- comparison of records that hold arrays ----

    /** Records component by component, arrays element by element, lists and maps (with their order) entry by entry. */
    static void assertDeepEquals(Object expected, Object actual, String path) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, path);
        } else if (expected instanceof Record) {
            assertEquals(expected.getClass(), actual.getClass(), path);
            for (RecordComponent c : expected.getClass().getRecordComponents()) {
                assertDeepEquals(component(c, expected), component(c, actual), path + "." + c.getName());
            }
        } else if (expected instanceof List) {
            List<?> e = (List<?>) expected;
            List<?> a = assertInstanceOf(List.class, actual, path);
            assertEquals(e.size(), a.size(), path + " size");
            for (int i = 0; i < e.size(); i++) {
                assertDeepEquals(e.get(i), a.get(i), path + "[" + i + "]");
            }
        } else if (expected instanceof Map) {
            Map<?, ?> e = (Map<?, ?>) expected;
            Map<?, ?> a = assertInstanceOf(Map.class, actual, path);
            assertEquals(e.keySet(), a.keySet(), path + " keys");
            if (expected instanceof LinkedHashMap) {
                assertEquals(new ArrayList<>(e.keySet()), new ArrayList<>(a.keySet()), path + " key order");
            }
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                assertDeepEquals(entry.getValue(), a.get(entry.getKey()), path + "[" + entry.getKey() + "]");
            }
        } else if (expected instanceof byte[]) {
            assertArrayEquals((byte[]) expected, (byte[]) actual, path);
        } else if (expected instanceof int[]) {
            assertArrayEquals((int[]) expected, (int[]) actual, path);
        } else if (expected instanceof long[]) {
            assertArrayEquals((long[]) expected, (long[]) actual, path);
        } else {
            assertEquals(expected.getClass(), actual.getClass(), path + " type");
            assertEquals(expected, actual, path);
        }
    }

    /** Fails where a field holds null, zero, false, an empty string, list or array. */
    static void assertNoDefaults(Object v, String path) {
        assertNotNull(v, path);
        if (v instanceof Record) {
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                assertNoDefaults(component(c, v), path + "." + c.getName());
            }
        } else if (v instanceof List) {
            assertNotEquals(0, ((List<?>) v).size(), path);
            for (Object o : (List<?>) v) {
                assertNoDefaults(o, path + "[]");
            }
        } else if (v instanceof Map) {
            assertNotEquals(0, ((Map<?, ?>) v).size(), path);
        } else if (v instanceof Number) {
            assertNotEquals(0L, ((Number) v).longValue(), path);
        } else if (v instanceof Boolean) {
            assertTrue((Boolean) v, path);
        } else if (v instanceof String) {
            assertNotEquals("", v, path);
        } else if (v instanceof Character) {
            assertNotEquals('\0', v, path);
        } else if (v.getClass().isArray()) {
            assertNotEquals(0, Array.getLength(v), path);
        } else {
            fail(path + ": unexpected " + v.getClass());
        }
    }

    private static Object component(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T assertInstanceOf(Class<T> type, Object actual, String path) {
        assertTrue(type.isInstance(actual), path + ": " + actual.getClass() + " is not a " + type.getSimpleName());
        return type.cast(actual);
    }
}
