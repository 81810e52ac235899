package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.LoopDevices;
import org.jrunc.sys.RecordingSyscalls;
import org.jrunc.sys.SyscallException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** umount's undo, on a real directory tree with a fake mount table, fake loop sysfs and recorded system calls. */
class TeardownTest {
    @TempDir
    Path tmp;

    private Path bundle;
    private Path sysBlock;
    private BundleLayout layout;
    private final FakeHost host = new FakeHost();
    private final FakeFuse fuse = new FakeFuse(host);
    private Syscalls sys;

    /** umount2 takes the top mount off the fake table, or fails with {@link #umountErrno}. */
    final class Syscalls extends RecordingSyscalls {
        int umountErrno;

        Syscalls() {
            dir("/dev");
            files.put("/dev/loop3", new Node(FileStat.S_IFBLK, null, 0660, 0));
        }

        @Override
        public void umount2(String target, int flags) {
            super.umount2(target, flags);
            if (umountErrno != 0) {
                throw new SyscallException("umount2", target, umountErrno);
            }
            host.unmount(Path.of(target));
        }

        @Override
        public int ioctl(int fd, long request, long arg) {
            super.ioctl(fd, request, arg);
            if (request == 0x4C01) {
                deleteTree(sysBlock.resolve("loop3"));
            }
            return 0;
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        bundle = Files.createDirectory(tmp.resolve("bundle"));
        sysBlock = Files.createDirectory(tmp.resolve("sys-block"));
        layout = new BundleLayout(bundle);
        sys = new Syscalls();
    }

    /** What `jrunc mount` leaves for a native SIF with the kernel driver, and its marker. */
    private MountMarker kernelBundle(boolean createdBundle) throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.createDirectories(bundle.resolve("overlay/upper/etc"));
        Files.writeString(bundle.resolve("overlay/upper/etc/written"), "by the container");
        Files.createDirectories(bundle.resolve("overlay/work/work"));
        Files.createDirectories(bundle.resolve("volumes/_data"));
        Files.writeString(bundle.resolve("config.json"), "{}");
        Files.createSymbolicLink(bundle.resolve("overlay/upper/escape"), tmp);
        host.mount(bundle.resolve("rootfs"), "squashfs", "/dev/loop3");
        host.mount(bundle.resolve("rootfs"), "overlay", "overlay");
        MountMarker marker = new MountMarker(
                "/i.sif",
                createdBundle,
                List.of(
                        new Step.Dir(Path.of("rootfs")),
                        new Step.Loop(3, "/i.sif", 45056, 745472),
                        new Step.Mount(Path.of("rootfs"), "squashfs", "/dev/loop3", false),
                        new Step.Tree(Path.of("overlay")),
                        new Step.Mount(Path.of("rootfs"), "overlay", "overlay", false),
                        new Step.Tree(Path.of("volumes")),
                        new Step.File(Path.of("config.json"))));
        new MarkerFile(layout).create(marker);
        return marker;
    }

    private void bindLoop3() throws IOException {
        Path dir = Files.createDirectories(sysBlock.resolve("loop3/loop"));
        Files.writeString(dir.resolve("backing_file"), "/i.sif\n");
        Files.writeString(dir.resolve("offset"), "45056\n");
        Files.writeString(dir.resolve("sizelimit"), "745472\n");
    }

    private List<Path> teardown(MountMarker marker) {
        return new Teardown(layout, sys, new LoopDevices(sys, Path.of("/dev"), sysBlock), fuse, host)
                .withWaits(50, 50)
                .run(marker, new MarkerFile(layout));
    }

    private String fails(MountMarker marker) {
        String m = assertThrows(JruncException.class, () -> teardown(marker)).getMessage();
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everythingIsUndoneNewestFirst() throws IOException {
        assertEquals(List.of(), teardown(kernelBundle(true)));
        assertEquals(
                List.of("umount2 " + bundle.resolve("rootfs") + " 8", "umount2 " + bundle.resolve("rootfs") + " 8"),
                sys.calls("umount2"));
        assertEquals(List.of(), sys.calls("ioctl"), "AUTOCLEAR already freed the loop device");
        assertFalse(Files.exists(bundle), "the bundle mount created is gone");
        assertTrue(Files.isDirectory(tmp), "the symlink in upper was removed, not followed");
        assertEquals(1, host.mountCount());
    }

    @Test
    void aLoopDeviceStillBoundIsDetached() throws IOException {
        MountMarker marker = kernelBundle(true);
        bindLoop3();
        teardown(marker);
        assertEquals(List.of("ioctl 0x4c01"), sys.calls("ioctl"));
    }

    @Test
    void aLoopDeviceNowUsedForSomethingElseIsLeftAlone() throws IOException {
        MountMarker marker = kernelBundle(true);
        bindLoop3();
        Files.writeString(sysBlock.resolve("loop3/loop/offset"), "0\n");
        teardown(marker);
        assertEquals(List.of(), sys.calls("ioctl"));
    }

    @Test
    void afterARebootOnlyFilesAreLeftToRemove() throws IOException {
        MountMarker marker = kernelBundle(true);
        host.unmount(bundle.resolve("rootfs"));
        host.unmount(bundle.resolve("rootfs"));
        teardown(marker);
        assertEquals(List.of(), sys.calls("umount2"));
        assertFalse(Files.exists(bundle));
    }

    @Test
    void aBusyMountStopsBeforeAnythingIsDeleted() throws IOException {
        MountMarker marker = kernelBundle(true);
        sys.umountErrno = Errno.EBUSY;
        assertEquals(
                bundle.resolve("rootfs") + " is busy: a process still uses the overlay mount (delete containers"
                        + " running from this bundle first)",
                fails(marker));
        assertEquals(marker, new MarkerFile(layout).read(), "the marker still lists everything");
        assertTrue(Files.exists(bundle.resolve("config.json")) && Files.exists(bundle.resolve("overlay/upper/etc")));
        sys.umountErrno = 0;
        teardown(new MarkerFile(layout).read());
        assertFalse(Files.exists(bundle), "a second umount finishes the job");
    }

    @Test
    void aContainerInAnotherMountNamespaceBlocksUnmounting() throws IOException {
        MountMarker marker = kernelBundle(true);
        String overlayDevice =
                host.mounts().top(bundle.resolve("rootfs")).orElseThrow().device();
        host.otherNamespaceUsers.put(overlayDevice, 4242);
        assertEquals(
                bundle.resolve("rootfs") + ": the overlay mount is still used by process 4242 in another mount"
                        + " namespace (a container created from this bundle?); delete it first",
                fails(marker));
        assertEquals(List.of(), sys.calls("umount2"));
    }

    @Test
    void aForeignMountOnTopIsNotUnmounted() throws IOException {
        MountMarker marker = kernelBundle(true);
        host.mount(bundle.resolve("rootfs"), "tmpfs", "tmpfs");
        assertEquals(
                bundle.resolve("rootfs") + ": the overlay mount made by jrunc mount is covered by another mount"
                        + " (tmpfs from tmpfs); unmount that first",
                fails(marker));
        assertEquals(List.of(), sys.calls("umount2"));
    }

    @Test
    void aForeignMountInsideATreeStopsItsRemoval() throws IOException {
        MountMarker marker = kernelBundle(true);
        host.mount(bundle.resolve("volumes/_data"), "tmpfs", "tmpfs");
        assertEquals(
                "not removing " + bundle.resolve("volumes") + ": " + bundle.resolve("volumes/_data")
                        + " is still a mount point (tmpfs); unmount it first",
                fails(marker));
        assertTrue(Files.exists(bundle.resolve("volumes/_data")));
        assertFalse(Files.exists(bundle.resolve("config.json")), "newer steps were undone");
    }

    @Test
    void filesMountDidNotMakeKeepTheBundle() throws IOException {
        MountMarker marker = kernelBundle(true);
        Files.writeString(bundle.resolve("notes.txt"), "mine");
        assertEquals(List.of(bundle), teardown(marker));
        assertEquals(List.of(Path.of("notes.txt")), list(bundle));
    }

    @Test
    void aBundleThatExistedBeforeMountStays() throws IOException {
        teardown(kernelBundle(false));
        assertEquals(List.of(), list(bundle));
    }

    @Test
    void somethingPutInPlaceOfAFileIsKept() throws IOException {
        MountMarker marker = kernelBundle(true);
        Files.delete(bundle.resolve("config.json"));
        Files.createDirectory(bundle.resolve("config.json"));
        List<Path> kept = teardown(marker);
        assertEquals(List.of(bundle.resolve("config.json"), bundle), kept);
    }

    @Test
    void fuseMountsAreUndoneWithFusermount() throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        host.mount(bundle.resolve("rootfs"), FuseTools.SQUASHFUSE_TYPE, "squashfuse");
        host.mount(bundle.resolve("rootfs"), FuseTools.OVERLAY_TYPE, "fuse-overlayfs");
        MountMarker marker = new MountMarker(
                "/i.sif",
                true,
                List.of(
                        new Step.Dir(Path.of("rootfs")),
                        new Step.Mount(Path.of("rootfs"), FuseTools.SQUASHFUSE_TYPE, "squashfuse", true),
                        new Step.Mount(Path.of("rootfs"), FuseTools.OVERLAY_TYPE, "fuse-overlayfs", true)));
        new MarkerFile(layout).create(marker);
        teardown(marker);
        assertEquals(List.of("fusermount -u rootfs", "fusermount -u rootfs"), fuse.calls);
        assertFalse(Files.exists(bundle));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(dir::relativize).sorted().toList();
        }
    }
}
