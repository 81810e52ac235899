package org.jrunc.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.config.Mount;
import org.jrunc.sys.MountFlags;
import org.jrunc.sys.RecordingSyscalls;
import org.jrunc.sys.SyscallException;
import org.junit.jupiter.api.Test;

/** The rootfs set-up sequence, checked call by call against a recording Syscalls: no root, no kernel. */
class RootfsSetupTest {
    private static final String ROOTFS = "/bundle/rootfs";

    private static MountPlan mount(String dest, String type, String source, String... options) {
        return MountOptions.parse(new Mount(dest, type, source, List.of(options), null, null), 0);
    }

    private static RootfsPlan plan(List<MountPlan> mounts, long propagation, boolean readonly) {
        return plan(mounts, propagation, readonly, true);
    }

    /** @param ownMountNamespace false: a container sharing the runtime's mount namespace or one joined by path */
    private static RootfsPlan plan(
            List<MountPlan> mounts, long propagation, boolean readonly, boolean ownMountNamespace) {
        return RootfsPlan.builder()
                .ownMountNamespace(ownMountNamespace)
                .rootfs(ROOTFS)
                .readonly(readonly)
                .propagation(propagation)
                .mounts(mounts)
                .setupDev(true)
                .devices(List.of(
                        DevicePlan.builder()
                                .path("/dev/null")
                                .type('c')
                                .major(1)
                                .minor(3)
                                .fileMode(0666)
                                .build(),
                        DevicePlan.builder()
                                .path("/dev/fuse")
                                .type('c')
                                .major(10)
                                .minor(229)
                                .fileMode(0600)
                                .uid(5)
                                .gid(6)
                                .build()))
                .maskedPaths(List.of("/proc/kcore", "/sys/firmware", "/proc/keys"))
                .readonlyPaths(List.of("/proc/sys"))
                .cgroupSources(List.of(
                        new CgroupMountSource("memory", "/sys/fs/cgroup/memory/jrunc/c1", "cgroup", "memory"),
                        new CgroupMountSource(
                                "cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/jrunc/c1", "cgroup", "cpu,cpuacct")))
                .build();
    }

    private static RecordingSyscalls fs() {
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.dir(ROOTFS + "/bin")
                .dir(ROOTFS + "/sys/firmware")
                .dir(ROOTFS + "/proc/sys")
                .dir("/host/data");
        return sys;
    }

    @Test
    void preparesInTheOrderOfTheSpec() {
        RecordingSyscalls sys = fs();
        RootfsPlan plan = plan(
                List.of(
                        mount("/proc", "proc", "proc"),
                        mount("/dev", "tmpfs", "tmpfs", "nosuid", "mode=755"),
                        mount("/data", "bind", "/host/data", "rbind", "ro", "rshared"),
                        mount("/sys", "sysfs", "sysfs", "ro", "nosuid")),
                0,
                true);
        RootfsSetup setup = new RootfsSetup(sys, plan, w -> {});
        setup.prepare();
        List<String> mounts = sys.calls("mount");
        assertEquals(
                "mount - / - 0x" + Long.toHexString(MountFlags.MS_SLAVE | MountFlags.MS_REC),
                mounts.get(0),
                "first: nothing propagates back to the host");
        assertEquals(
                "mount " + ROOTFS + " " + ROOTFS + " bind 0x"
                        + Long.toHexString(MountFlags.MS_BIND | MountFlags.MS_REC),
                mounts.get(2),
                "then the rootfs becomes a mount point");
        List<String> targets = new ArrayList<>();
        for (String m : mounts.subList(3, mounts.size())) {
            targets.add(m.split(" ")[2]);
        }
        assertEquals(
                List.of(
                        ROOTFS + "/proc",
                        ROOTFS + "/dev",
                        ROOTFS + "/data",
                        ROOTFS + "/data",
                        ROOTFS + "/data",
                        ROOTFS + "/sys"),
                targets,
                "config mounts in listed order (a bind, its ro remount, its propagation)");
        assertTrue(
                mounts.get(5).contains("0x" + Long.toHexString(MountFlags.MS_BIND | MountFlags.MS_REC)), mounts.get(5));
        assertTrue(
                mounts.get(6)
                        .contains("0x"
                                + Long.toHexString(MountFlags.MS_RDONLY | MountFlags.MS_BIND | MountFlags.MS_REMOUNT)),
                "ro by a bind remount: " + mounts.get(6));
        assertTrue(
                mounts.get(7).contains("0x" + Long.toHexString(MountFlags.MS_SHARED | MountFlags.MS_REC)),
                mounts.get(7));
        assertTrue(sys.calls.contains("mknod " + ROOTFS + "/dev/fuse 20600"), sys.calls.toString());
        assertTrue(sys.calls.contains("chown " + ROOTFS + "/dev/fuse 5:6"));
        assertTrue(sys.calls.contains("symlink " + ROOTFS + "/dev/ptmx -> pts/ptmx"));
        assertTrue(sys.calls.contains("symlink " + ROOTFS + "/dev/fd -> /proc/self/fd"));
    }

    @Test
    void finishProtectsPathsAndPivotLeavesNothingOfTheHost() {
        RecordingSyscalls sys = fs();
        RootfsPlan plan = plan(List.of(mount("/dev", "tmpfs", "tmpfs", "ro")), 0, true);
        RootfsSetup setup = new RootfsSetup(sys, plan, w -> {});
        setup.prepare();
        int before = sys.calls.size();
        setup.finish(List.of());
        List<String> after = sys.calls.subList(before, sys.calls.size()).stream()
                .filter(c -> c.startsWith("mount"))
                .toList();
        assertTrue(after.get(0).startsWith("mount " + ROOTFS + "/proc/sys " + ROOTFS + "/proc/sys"), after.toString());
        assertTrue(
                after.stream()
                        .anyMatch(c -> c.startsWith("mount tmpfs " + ROOTFS + "/sys/firmware tmpfs 0x1 nr_blocks=1")),
                "a masked directory gets an empty read-only tmpfs: " + after);
        assertTrue(
                after.get(after.size() - 1).startsWith("mount - " + ROOTFS + "/dev"), "the delayed ro remount of /dev");
        RootJail jail = new RootJail(sys, plan);
        sys.calls.clear();
        jail.enter(setup.root().rootFd());
        jail.finish();
        assertEquals(
                List.of(
                        "open /",
                        "fchdir " + ROOTFS,
                        "pivot_root . .",
                        "fchdir /",
                        "mount - . - 0x" + Long.toHexString(MountFlags.MS_SLAVE | MountFlags.MS_REC),
                        "umount2 . 2",
                        "chdir /",
                        "mount - / - 0x"
                                + Long.toHexString(MountFlags.MS_BIND | MountFlags.MS_REMOUNT | MountFlags.MS_RDONLY)),
                sys.calls);
    }

    @Test
    void inASharedMountNamespaceNothingChangesItsPropagationAndChrootJails() {
        RecordingSyscalls sys = fs();
        RootfsPlan plan = plan(List.of(mount("/proc", "proc", "proc")), 0, false, false);
        RootfsSetup setup = new RootfsSetup(sys, plan, w -> {});
        setup.prepare();
        assertTrue(
                sys.calls("mount").get(0).startsWith("mount proc " + ROOTFS + "/proc proc"),
                "the config's mounts come first, on the rootfs as it is: " + sys.calls("mount"));
        sys.calls.clear();
        new RootJail(sys, plan).enter(setup.root().rootFd());
        assertEquals(List.of("fchdir " + ROOTFS, "chroot .", "chdir /"), sys.calls);
    }

    /**
     * Shared keeps the host's peer groups from the start (Kubernetes' Bidirectional mounts need them), with the
     * rootfs's mount point made private before anything is mounted in it; unbindable is rslave until the pivot.
     */
    @Test
    void sharedAndUnbindablePropagationApplyToTheNewRoot() {
        for (long prop : new long[] {MountFlags.MS_SHARED | MountFlags.MS_REC, MountFlags.MS_UNBINDABLE}) {
            RecordingSyscalls sys = fs();
            RootfsPlan plan = plan(List.of(), prop, false);
            RootfsSetup setup = new RootfsSetup(sys, plan, w -> {});
            setup.prepare();
            long hostSide = prop == MountFlags.MS_UNBINDABLE ? MountFlags.MS_SLAVE | MountFlags.MS_REC : prop;
            List<String> mounts = sys.calls("mount");
            assertEquals("mount - / - 0x" + Long.toHexString(hostSide), mounts.get(0));
            assertTrue(
                    mounts.get(1).endsWith(" - 0x" + Long.toHexString(MountFlags.MS_PRIVATE)),
                    "the rootfs's mount point is private before the rootfs is bound: " + mounts);
            sys.calls.clear();
            new RootJail(sys, plan).enter(setup.root().rootFd());
            assertEquals("mount - / - 0x" + Long.toHexString(prop), sys.calls.get(sys.calls.size() - 1));
        }
    }

    @Test
    void aSymlinkedMountTargetIsCreatedInsideTheRootfs() {
        RecordingSyscalls sys = fs();
        sys.symlink(ROOTFS + "/escape", "/etc/outside");
        RootfsPlan plan = plan(List.of(mount("/escape", "tmpfs", "tmpfs")), 0, false);
        new RootfsSetup(sys, plan, w -> {}).prepare();
        assertTrue(sys.calls.contains("mkdir " + ROOTFS + "/etc/outside"), sys.calls.toString());
        assertTrue(
                sys.calls("mount").stream().anyMatch(c -> c.startsWith("mount tmpfs " + ROOTFS + "/etc/outside tmpfs")),
                sys.calls.toString());
    }

    @Test
    void tmpcopyupCopiesIntoTheMountedTmpfsBeforeRecursiveAttributes() {
        RecordingSyscalls sys = fs();
        sys.file(ROOTFS + "/etc/passwd").input(ROOTFS + "/etc/passwd", "root:x".getBytes(StandardCharsets.UTF_8));
        RootfsPlan plan = plan(List.of(mount("/etc", "tmpfs", "tmpfs", "tmpcopyup", "rro")), 0, false);
        new RootfsSetup(sys, plan, w -> {}).prepare();
        int mounted = indexOfPrefix(sys.calls, "mount tmpfs " + ROOTFS + "/etc tmpfs");
        int copied = sys.calls.indexOf("sendfile " + ROOTFS + "/etc/passwd -> " + ROOTFS + "/etc/passwd 6");
        int readonly = indexOfPrefix(sys.calls, "mount_setattr " + ROOTFS + "/etc set=0x1");
        assertTrue(mounted >= 0 && mounted < copied && copied < readonly, sys.calls.toString());
    }

    @Test
    void aTmpfsWithoutTmpcopyupReadsNothingOfTheImage() {
        RecordingSyscalls sys = fs();
        sys.file(ROOTFS + "/etc/passwd").input(ROOTFS + "/etc/passwd", "root:x".getBytes(StandardCharsets.UTF_8));
        new RootfsSetup(sys, plan(List.of(mount("/etc", "tmpfs", "tmpfs")), 0, false), w -> {}).prepare();
        assertEquals(List.of(), sys.calls("sendfile"));
        assertEquals(-1, sys.calls.indexOf("open " + ROOTFS + "/etc/passwd"), sys.calls.toString());
    }

    private static int indexOfPrefix(List<String> calls, String prefix) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void dotDotInADestinationIsClampedAtTheRoot() {
        RecordingSyscalls sys = fs();
        RootfsPlan plan = plan(List.of(mount("/../../../tmp/x", "tmpfs", "tmpfs")), 0, false);
        new RootfsSetup(sys, plan, w -> {}).prepare();
        assertTrue(sys.calls.contains("mkdir " + ROOTFS + "/tmp/x"), sys.calls.toString());
    }

    @Test
    void procMountOnASymlinkIsRefused() {
        RecordingSyscalls sys = fs();
        sys.symlink(ROOTFS + "/proc2", "/bin");
        RootfsPlan plan = plan(List.of(mount("/proc2", "proc", "proc")), 0, false);
        JruncException e = assertThrows(JruncException.class, () -> new RootfsSetup(sys, plan, w -> {}).prepare());
        assertTrue(e.getMessage().contains("must be mounted on ordinary directory"), e.getMessage());
    }

    @Test
    void bindsInsideProcAreRefused() {
        RecordingSyscalls sys = fs();
        sys.dir("/host/fake");
        RootfsPlan plan = plan(
                List.of(mount("/proc", "proc", "proc"), mount("/proc/self/attr", "bind", "/host/fake", "bind")),
                0,
                false);
        JruncException e = assertThrows(JruncException.class, () -> new RootfsSetup(sys, plan, w -> {}).prepare());
        assertTrue(e.getMessage().contains("inside /proc"), e.getMessage());
    }

    /**
     * An idmapped bind mount arrives as a detached tree the runtime made: it is moved onto its destination, not bound
     * from the source, then remounted read-only like any bind, and its descriptor is closed. Fails on 17985a3: there
     * was no prepared tree to move (RootfsSetup had no useMountSources).
     */
    @Test
    void aPreparedTreeIsMovedOntoItsDestination() {
        RecordingSyscalls sys = fs();
        int tree = sys.openTree(org.jrunc.sys.Flags.AT_FDCWD, "/host/data", 0);
        RootfsPlan plan = plan(
                List.of(mount("/proc", "proc", "proc"), mount("/data", "bind", "/host/data", "bind", "ro")), 0, false);
        RootfsSetup setup = new RootfsSetup(sys, plan, w -> {});
        setup.useMountSources(new int[] {-1, tree});
        setup.prepare();
        assertTrue(sys.calls.contains("move_mount /host/data " + ROOTFS + "/data"), sys.calls.toString());
        assertTrue(
                sys.calls("mount").stream().noneMatch(c -> c.startsWith("mount /host/data ")),
                "no bind of the source itself: " + sys.calls);
        assertTrue(
                sys.calls("mount").stream()
                        .anyMatch(c -> c.startsWith("mount - " + ROOTFS + "/data - 0x"
                                + Long.toHexString(MountFlags.MS_RDONLY | MountFlags.MS_BIND | MountFlags.MS_REMOUNT))),
                "ro by a bind remount of the moved tree: " + sys.calls);
        assertTrue(!sys.openFds().contains("/host/data"), "the tree's descriptor is closed: " + sys.openFds());
    }

    /**
     * A rootless container without a directory in a hierarchy (its caller could not write it) sees that hierarchy as an
     * empty directory, as runc masks it (fails on fbadc0c: a bind of a null source).
     */
    @Test
    void aHierarchyWithoutAContainerCgroupStaysEmpty() {
        RecordingSyscalls sys = fs();
        RootfsPlan plan = RootfsPlan.builder()
                .ownMountNamespace(true)
                .rootfs(ROOTFS)
                .mounts(List.of(mount("/sys/fs/cgroup", "cgroup", "cgroup", "ro")))
                .cgroupSources(List.of(
                        new CgroupMountSource("memory", null, "cgroup", "memory"),
                        new CgroupMountSource("unified", "/sys/fs/cgroup/unified/deleg/c1", "cgroup2", "")))
                .build();
        new RootfsSetup(sys, plan, w -> {}).prepare();
        List<String> mounts = sys.calls("mount");
        assertTrue(
                mounts.stream().anyMatch(c -> c.startsWith("mount tmpfs " + ROOTFS + "/sys/fs/cgroup tmpfs")),
                mounts.toString());
        assertTrue(
                mounts.stream()
                        .anyMatch(c -> c.startsWith(
                                "mount /sys/fs/cgroup/unified/deleg/c1 " + ROOTFS + "/sys/fs/cgroup/unified bind")),
                mounts.toString());
        assertTrue(mounts.stream().noneMatch(c -> c.contains("/sys/fs/cgroup/memory")), mounts.toString());
    }

    /** With a cgroup v2 only host, no container cgroup, and no cgroup namespace to mount it: a read-only tmpfs. */
    @Test
    void aV2OnlyHostWithoutAContainerCgroupGetsAnEmptyReadOnlyDirectory() {
        RecordingSyscalls sys = fs();
        sys.failOn("mount cgroup2 ", new SyscallException("mount", "cgroup2", org.jrunc.sys.Errno.EPERM));
        RootfsPlan plan = RootfsPlan.builder()
                .ownMountNamespace(true)
                .rootfs(ROOTFS)
                .cgroupV2Only(true)
                .mounts(List.of(mount("/sys/fs/cgroup", "cgroup", "cgroup", "ro")))
                .cgroupSources(List.of(new CgroupMountSource("unified", null, "cgroup2", "")))
                .build();
        new RootfsSetup(sys, plan, w -> {}).prepare();
        assertTrue(
                sys.calls("mount").stream()
                        .anyMatch(c -> c.startsWith("mount tmpfs " + ROOTFS + "/sys/fs/cgroup tmpfs 0x"
                                + Long.toHexString(MountFlags.MS_NOSUID
                                        | MountFlags.MS_NODEV
                                        | MountFlags.MS_NOEXEC
                                        | MountFlags.MS_RDONLY))),
                sys.calls.toString());
    }

    @Test
    void tmpfsModesAreFourOctalDigits() {
        assertEquals("1777", RootfsSetup.octal4(01777));
        assertEquals("0755", RootfsSetup.octal4(0755));
        assertEquals("0000", RootfsSetup.octal4(0));
        assertEquals("7777", RootfsSetup.octal4(0107777));
    }
}
