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
    // ---- idmapped mounts (config.md: a mount's uidMappings/gidMappings, options "idmap" and "ridmap") ----

    /** A mount's uidMappings or gidMappings: the kernel's direction, on-disk containerID shown as hostID. */
    static void mapIds(ObjectNode mount, long containerId, long hostId, long size) {
        for (String field : List.of("uidMappings", "gidMappings")) {
            mount.putArray(field)
                    .addObject()
                    .put("containerID", containerId)
                    .put("hostID", hostId)
                    .put("size", size);
        }
    }

    private static void chown(Path p, int uid, int gid) throws Exception {
        Files.setAttribute(p, "unix:uid", uid);
        Files.setAttribute(p, "unix:gid", gid);
    }

    private static int owner(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:uid");
    }

    /**
     * Without a user namespace: files the host's uid 1000 owns show as root's through a mount mapping on-disk 1000 to
     * 0, a file of uid 0 (outside the mapping) as the overflow uid, and root's writes land on the disk as 1000.
     * Fails on 17985a3: the mount's mappings were ignored (the files showed as 1000:1000).
     */
    @Test
    void idmappedBindMountShowsMappedOwnersWithoutAUserNamespace() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("idmapped"));
        chown(host, 1000, 1000);
        chown(Files.writeString(host.resolve("users"), "x"), 1000, 1000);
        Files.writeString(host.resolve("roots"), "x");
        Bundle b = bundle(
                "sh",
                "-c",
                "stat -c '%u:%g' /mnt/m/users /mnt/m/roots; touch /mnt/m/new && stat -c '%u:%g' /mnt/m/new; "
                        + "grep ' /mnt/m ' /proc/self/mountinfo");
        mapIds(mount(b, "/mnt/m", "bind", host.toString(), "bind"), 1000, 0, 1);
        String out = run(b);
        assertTrue(out.startsWith("0:0\n65534:65534\n0:0\n"), out);
        assertTrue(out.contains(",idmapped"), "mountinfo says idmapped: " + out);
        assertEquals(1000, owner(host.resolve("new")), "written through the mount as 0, stored as 1000");
        assertNothingLeft();
    }

    /**
     * In a user namespace (0 -> 100000), "idmap" without mappings of its own takes the container's: the host's root
     * files are the container's root's, and the container's writes land as 0 on the disk. Explicit mappings on a
     * second mount map on-disk 1000 to the container's root. Fails on 17985a3: "idmap" was refused.
     */
    @Test
    void idmapTakesTheContainersUserNamespaceMappings() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("idmapped-userns"));
        Files.writeString(host.resolve("roots"), "x");
        chown(Files.writeString(host.resolve("users"), "x"), 1000, 1000);
        Bundle b = bundle(
                "sh", "-c", "stat -c '%u:%g' /mnt/a/roots /mnt/a/users /mnt/b/users; touch /mnt/a/new && echo wrote");
        b.withNamespace("user", null);
        for (String field : List.of("uidMappings", "gidMappings")) {
            b.linux()
                    .putArray(field)
                    .addObject()
                    .put("containerID", 0)
                    .put("hostID", 100000)
                    .put("size", 65536);
        }
        // the init is root in the user namespace only: it cannot make directories in the host-owned rootfs
        Files.createDirectories(b.rootfs().resolve("mnt/a"));
        Files.createDirectories(b.rootfs().resolve("mnt/b"));
        mount(b, "/mnt/a", "bind", host.toString(), "bind", "idmap");
        mapIds(mount(b, "/mnt/b", "bind", host.toString(), "bind"), 1000, 100000, 1);
        String out = run(b);
        assertEquals("0:0\n1000:1000\n0:0\nwrote\n", out);
        assertEquals(0, owner(host.resolve("new")), "the container's root writes as the disk's root");
        assertNothingLeft();
    }

    /**
     * An rbind of a tree with a submount: "idmap" maps the top mount only, "ridmap" the submount too (mount_setattr
     * AT_RECURSIVE). Fails on 17985a3: both options were refused.
     */
    @Test
    void ridmapReachesSubmountsAndIdmapDoesNot() throws Exception {
        Path top = Files.createDirectories(tmp.resolve("idtop"));
        Path sub = Files.createDirectories(top.resolve("sub"));
        Path other = Files.createDirectories(tmp.resolve("idother"));
        chown(Files.writeString(top.resolve("f"), "x"), 1000, 1000);
        chown(Files.writeString(other.resolve("g"), "x"), 1000, 1000);
        Jrunc.raw(List.of("mount", "--bind", other.toString(), sub.toString()), Map.of(), null, 10);
        try {
            for (String option : List.of("idmap", "ridmap")) {
                Bundle b = bundle("stat", "-c", "%u", "/t/f", "/t/sub/g");
                mapIds(mount(b, "/t", "bind", top.toString(), "rbind", option), 1000, 0, 1);
                assertEquals(option.equals("idmap") ? "0\n1000\n" : "0\n0\n", run(b), option);
            }
        } finally {
            Jrunc.raw(List.of("umount", "-l", sub.toString()), Map.of(), null, 10);
        }
    }
}
