package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** root, mounts, rootfsPropagation, /dev, masked and read-only paths, read back from inside the container. */
class RootfsTest extends SpecTest {

    private String run(Bundle b, String... createFlags) {
        String id = uniqueId("fs");
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(createFlags));
        args.addAll(List.of("-b", b.write().toString(), id));
        Jrunc.Result r = jrunc.run(args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.out() + r.err());
        return r.out();
    }

    /** The mountinfo line of {@code mountPoint} inside the container. */
    private static String mountLine(String mountinfo, String mountPoint) {
        return mountinfo
                .lines()
                .filter(l -> l.split(" ")[4].equals(mountPoint))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(mountPoint + " not mounted:\n" + mountinfo));
    }

    private static ObjectNode mount(Bundle b, String dest, String type, String source, String... options) {
        ObjectNode m = b.mounts()
                .addObject()
                .put("destination", dest)
                .put("type", type)
                .put("source", source);
        var opts = m.putArray("options");
        for (String o : options) {
            opts.add(o);
        }
        return m;
    }

    @Test
    void readonlyRoot() {
        Bundle ro = bundle("sh", "-c", "touch /x 2>&1 || echo refused");
        assertTrue(run(ro).contains("Read-only file system"));
        Bundle rw = bundle("sh", "-c", "touch /x && echo ok");
        rw.config.with("root").put("readonly", false);
        assertEquals("ok\n", run(rw));
        assertTrue(Files.exists(rw.rootfs().resolve("x")));
    }

    @Test
    void absoluteRootPath() {
        Bundle b = bundle("echo", "abs");
        b.config.with("root").put("path", b.rootfs().toString());
        assertEquals("abs\n", run(b));
    }

    @Test
    void tmpfsWithOptions() {
        Bundle b = bundle("cat", "/proc/self/mountinfo");
        mount(b, "/data", "tmpfs", "tmpfs", "nosuid", "nodev", "noexec", "size=1m", "mode=700");
        String line = mountLine(run(b), "/data");
        assertTrue(line.contains(" rw,nosuid,nodev,noexec"), line);
        assertTrue(line.contains("size=1024k") && line.contains("mode=700"), line);
    }

    @Test
    void readonlyBindMountOfAHostDirectory() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("hostdir"));
        Files.writeString(host.resolve("f"), "from host\n");
        Bundle b = bundle(
                "sh",
                "-c",
                "cat /mnt/in/f; touch /mnt/in/g 2>/dev/null || echo ro; grep ' /mnt/in ' /proc/self/mountinfo");
        mount(b, "/mnt/in", "bind", host.toString(), "rbind", "ro", "nosuid");
        String out = run(b);
        assertTrue(out.startsWith("from host\nro\n"), out);
        assertTrue(out.contains(" ro,nosuid"), out);
        assertFalse(Files.exists(host.resolve("g")));
    }

    @Test
    void bindMountOfAFileCreatesTheTarget() throws Exception {
        Path f = Files.writeString(tmp.resolve("hostfile"), "file content");
        Bundle b = bundle("cat", "/etc/custom/file");
        mount(b, "/etc/custom/file", "none", f.toString(), "bind");
        assertEquals("file content", run(b));
    }

    @Test
    void recursiveReadonlyCoversSubmounts() throws Exception {
        Path top = Files.createDirectories(tmp.resolve("top"));
        Path sub = Files.createDirectories(top.resolve("sub"));
        Jrunc.raw(List.of("mount", "-t", "tmpfs", "tmpfs", sub.toString()), Map.of(), null, 10);
        try {
            Bundle plainRo = bundle("sh", "-c", "touch /t/sub/x 2>/dev/null && echo writable || echo ro");
            mount(plainRo, "/t", "bind", top.toString(), "rbind", "ro");
            assertEquals("writable\n", run(plainRo), "plain ro leaves submounts writable");
            Bundle rro = bundle("sh", "-c", "touch /t/sub/y 2>/dev/null && echo writable || echo ro");
            mount(rro, "/t", "bind", top.toString(), "rbind", "rro");
            assertEquals("ro\n", run(rro), "rro reaches submounts (mount_setattr AT_RECURSIVE)");
        } finally {
            Jrunc.raw(List.of("umount", "-l", sub.toString()), Map.of(), null, 10);
        }
    }

    @Test
    void slaveRootReceivesHostMountsButSharesNothingBack() throws Exception {
        Bundle b = bundle(
                "sh",
                "-c",
                "touch /ready; while [ ! -e /mnt/late/marker ]; do sleep 0.05; done; "
                        + "mount -t tmpfs x /tmp 2>/dev/null; echo seen");
        b.config.with("root").put("readonly", false);
        b.linux().put("rootfsPropagation", "slave");
        ((ArrayNode) b.process().with("capabilities").withArray("effective")).add("CAP_SYS_ADMIN");
        ((ArrayNode) b.process().with("capabilities").withArray("bounding")).add("CAP_SYS_ADMIN");
        ((ArrayNode) b.process().with("capabilities").withArray("permitted")).add("CAP_SYS_ADMIN");
        String rootfs = b.rootfs().toString();
        Files.createDirectories(b.rootfs().resolve("mnt/late"));
        Jrunc.raw(List.of("mount", "--bind", rootfs, rootfs), Map.of(), null, 10);
        Jrunc.raw(List.of("mount", "--make-shared", rootfs), Map.of(), null, 10);
        Path late = Files.createDirectories(tmp.resolve("late"));
        Files.writeString(late.resolve("marker"), "x");
        String id = uniqueId("slave");
        try {
            jrunc.run("run", "-d", "-b", b.write().toString(), id).ok();
            LifecycleTest.waitFor(b.rootfs().resolve("ready"));
            // a host mount under the rootfs after the container started must appear inside it
            Jrunc.raw(List.of("mount", "--bind", late.toString(), rootfs + "/mnt/late"), Map.of(), null, 10);
            for (int i = 0; i < 200 && !jrunc.run("state", id).out().contains("stopped"); i++) {
                Thread.sleep(25);
            }
            assertTrue(
                    jrunc.run("state", id).out().contains("stopped"), "the container saw the host's mount and exited");
            assertFalse(
                    Files.readString(Path.of("/proc/self/mountinfo")).contains(rootfs + "/tmp "),
                    "the container's own mount did not propagate to the host");
        } finally {
            jrunc.run("delete", "-f", id);
            Jrunc.raw(List.of("umount", "-l", rootfs + "/mnt/late"), Map.of(), null, 10);
            Jrunc.raw(List.of("umount", "-l", rootfs), Map.of(), null, 10);
        }
    }

    @Test
    void mountPropagationOptions() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("prop"));
        Bundle b = bundle("cat", "/proc/self/mountinfo");
        mount(b, "/shared", "bind", host.toString(), "rbind", "rshared");
        mount(b, "/private", "bind", host.toString(), "rbind", "rprivate");
        mount(b, "/unbindable", "bind", host.toString(), "rbind", "runbindable");
        String info = run(b);
        assertTrue(mountLine(info, "/shared").contains("shared:"), mountLine(info, "/shared"));
        assertFalse(mountLine(info, "/private").contains("shared:"), mountLine(info, "/private"));
        assertTrue(mountLine(info, "/unbindable").contains("unbindable"), mountLine(info, "/unbindable"));
    }

    /**
     * The host side is made like a systemd host's (the rootfs on a shared mount), since slave needs a master: on a
     * host whose mounts are all private, as on this project's machines, there is nothing to be a slave of.
     */
    @ParameterizedTest
    @CsvSource({"shared,shared:", "slave,master:", "unbindable,unbindable", "private,"})
    void rootfsPropagation(String propagation, String expected) {
        Bundle b = bundle("cat", "/proc/self/mountinfo");
        b.linux().put("rootfsPropagation", propagation);
        String rootfs = b.rootfs().toString();
        Jrunc.raw(List.of("mount", "--bind", rootfs, rootfs), Map.of(), null, 10);
        Jrunc.raw(List.of("mount", "--make-shared", rootfs), Map.of(), null, 10);
        String root;
        try {
            root = mountLine(run(b), "/");
        } finally {
            Jrunc.raw(List.of("umount", "-l", rootfs), Map.of(), null, 10);
        }
        String optional = root.substring(0, root.indexOf(" - "));
        if (expected == null) {
            assertFalse(
                    optional.contains("shared:") || optional.contains("master:") || optional.contains("unbindable"),
                    root);
        } else {
            assertTrue(optional.contains(expected), propagation + ": " + root);
        }
    }

    @Test
    void defaultDevicesAndLinks() {
        Bundle b = bundle(
                "sh",
                "-c",
                "for d in null zero full random urandom tty; do stat -c '%n %F %t:%T %a' /dev/$d; done; "
                        + "for l in ptmx fd stdin stdout stderr; do readlink /dev/$l; done");
        String out = run(b);
        assertTrue(out.contains("/dev/null character special file 1:3 666"), out);
        assertTrue(out.contains("/dev/zero character special file 1:5 666"), out);
        assertTrue(out.contains("/dev/full character special file 1:7 666"), out);
        assertTrue(out.contains("/dev/random character special file 1:8 666"), out);
        assertTrue(out.contains("/dev/urandom character special file 1:9 666"), out);
        assertTrue(out.contains("/dev/tty character special file 5:0 666"), out);
        assertTrue(out.endsWith("pts/ptmx\n/proc/self/fd\n/proc/self/fd/0\n/proc/self/fd/1\n/proc/self/fd/2\n"), out);
    }

    @Test
    void configuredDevices() {
        Bundle b = bundle("stat", "-c", "%n %F %t:%T %a %u %g", "/dev/fuse", "/dev/mydir/loopx");
        var devs = b.linux().putArray("devices");
        devs.addObject()
                .put("path", "/dev/fuse")
                .put("type", "c")
                .put("major", 10)
                .put("minor", 229)
                .put("fileMode", 0620)
                .put("uid", 5)
                .put("gid", 6);
        devs.addObject()
                .put("path", "/dev/mydir/loopx")
                .put("type", "b")
                .put("major", 7)
                .put("minor", 200);
        String out = run(b);
        assertTrue(out.contains("/dev/fuse character special file a:e5 620 5 6"), out);
        assertTrue(out.contains("/dev/mydir/loopx block special file 7:c8 666 0 0"), out);
    }

    @Test
    void maskedPaths() {
        Bundle b = bundle(
                "sh",
                "-c",
                "wc -c < /proc/keys; ls -A /sys/firmware | wc -l; touch /sys/firmware/x 2>/dev/null || echo ro");
        assertEquals("0\n0\nro\n", run(b).replace(" ", ""));
    }

    @Test
    void readonlyPaths() {
        Bundle b = bundle(
                "sh",
                "-c",
                "echo x > /proc/sys/kernel/hostname 2>/dev/null || echo refused; "
                        + "grep ' /proc/sys ' /proc/self/mountinfo");
        String out = run(b);
        assertTrue(out.startsWith("refused\n"), out);
        assertTrue(out.contains(" /proc/sys ro,"), out);
    }

    @Test
    void noPivotStillJailsTheProcess() {
        Bundle b = bundle("sh", "-c", "ls /; cat /proc/self/mountinfo | head -1");
        String out = run(b, "--no-pivot");
        assertTrue(out.contains("bin") && !out.contains("work"), out);
    }

    @Test
    void mountOnASymlinkPointingOutsideStaysInside() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Bundle b = bundle("sh", "-c", "grep ' /escape ' /proc/self/mountinfo | wc -l");
        Files.createSymbolicLink(b.rootfs().resolve("escape"), outside);
        mount(b, "/escape", "tmpfs", "tmpfs");
        run(b);
        // the symlink resolves inside the rootfs: a directory /<outside path> was created in the rootfs instead
        assertTrue(
                Files.isDirectory(b.rootfs().resolve(outside.toString().substring(1))),
                "mount target created inside the rootfs");
        assertNothingLeft();
    }

    /**
     * A file bind mount whose destination is a dangling absolute symlink (an image's /etc/resolv.conf ->
     * /run/systemd/resolve/stub-resolv.conf): the file is created where the link points, inside the rootfs, and bound
     * there, as runc does. Fails on 17985a3 with "too many levels of symbolic links".
     */
    @Test
    void aFileBindOntoADanglingAbsoluteSymlinkCreatesItsTargetInsideTheRootfs() throws Exception {
        String target = "/jrunc-dangling-" + Long.toHexString(System.nanoTime()) + "/resolve/stub-resolv.conf";
        Path source = Files.writeString(tmp.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
        Bundle b = bundle("sh", "-c", "cat /etc/resolv.conf; readlink /etc/resolv.conf");
        Files.deleteIfExists(b.rootfs().resolve("etc/resolv.conf"));
        Files.createSymbolicLink(b.rootfs().resolve("etc/resolv.conf"), Path.of(target));
        mount(b, "/etc/resolv.conf", "bind", source.toString(), "bind", "ro");
        assertEquals("nameserver 192.0.2.53\n" + target + "\n", run(b));
        assertTrue(Files.isRegularFile(b.rootfs().resolve(target.substring(1))), "created inside the rootfs");
        assertFalse(Files.exists(Path.of(target).getParent().getParent()), "nothing created on the host");
        assertNothingLeft();
    }
}
