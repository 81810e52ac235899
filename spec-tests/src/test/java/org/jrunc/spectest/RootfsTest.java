package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
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

    /**
     * Kubernetes' Bidirectional mount propagation (issue 15: the CRI test failed): containerd sets rootfsPropagation
     * rshared and mounts a shared host directory with "rshared"; a mount the container makes in it must appear on the
     * host. Making the namespace's / rslave first, whatever rootfsPropagation said, cut the mount off from the
     * host's peer group, and this fails.
     */
    @Test
    void rsharedMountsPropagateFromTheContainerToTheHost() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("bidirectional"));
        Bundle b = bundle(
                "sh",
                "-c",
                "mkdir -p /shared/sub && mount -t tmpfs inside /shared/sub && touch /shared/sub/made-inside");
        b.linux().put("rootfsPropagation", "rshared");
        for (String set : new String[] {"effective", "bounding", "permitted"}) {
            ((ArrayNode) b.process().with("capabilities").withArray(set)).add("CAP_SYS_ADMIN");
        }
        mount(b, "/shared", "bind", host.toString(), "rbind", "rshared");
        // a host directory Kubernetes would use is on a shared mount (ensureShared); this host's mounts are private
        Jrunc.raw(List.of("mount", "--bind", host.toString(), host.toString()), Map.of(), null, 10);
        Jrunc.raw(List.of("mount", "--make-rshared", host.toString()), Map.of(), null, 10);
        try {
            run(b);
            String onHost = mountLine(Files.readString(Path.of("/proc/self/mountinfo")), host + "/sub");
            assertTrue(onHost.contains(" - tmpfs inside "), onHost);
            assertTrue(
                    Files.exists(host.resolve("sub/made-inside")), "the host sees the file in the container's tmpfs");
        } finally {
            Jrunc.raw(List.of("umount", "-R", "-l", host.toString()), Map.of(), null, 10);
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

    private static void shell(String command) {
        Jrunc.Result r = Jrunc.raw(List.of("sh", "-c", command), Map.of(), null, 20);
        assertEquals(0, r.exit(), command + ": " + r.err());
    }

    /**
     * An image directory with a file (set-user-ID, not root's), a read-only directory, a device node, a fifo, and
     * symlinks that point out of the rootfs, one to a host directory holding a file.
     */
    private Path imageDirectoryToCopy(Bundle b) throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host\n");
        Path data = b.rootfs().resolve("data");
        Files.createDirectories(data.resolve("sub"));
        Files.writeString(data.resolve("f"), "image data\n");
        Files.writeString(data.resolve("sub/inner"), "deep\n");
        Files.createSymbolicLink(data.resolve("hostdir"), outside);
        Files.createSymbolicLink(data.resolve("up"), Path.of("../../../../../../etc/hostile"));
        shell("cd " + data + " && chown 1234:5678 f && chmod 4755 f && chown 42:43 sub && chmod 705 sub"
                + " && chown -h 7:8 up && mknod -m 640 null2 c 1 3 && chown 9:10 null2 && mkfifo -m 620 fifo");
        return data;
    }

    /** fails on 17985a3: "tmpcopyup is not supported by jrunc yet". */
    @Test
    void tmpcopyupStartsTheTmpfsWithTheImagesContentOwnersModesAndLinks() throws Exception {
        Bundle b = bundle(
                "sh",
                "-c",
                "cd /data && stat -c '%n %F %u:%g %a' f sub sub/inner null2 fifo up hostdir"
                        + " && stat -c '%n %t:%T' null2 && readlink up && readlink hostdir && cat f sub/inner"
                        + " && ls /data/hostdir/ 2>/dev/null; grep ' /data ' /proc/self/mountinfo && echo new > new");
        Path data = imageDirectoryToCopy(b);
        Path outside = tmp.resolve("outside");
        mount(b, "/data", "tmpfs", "tmpfs", "nosuid", "tmpcopyup");
        String out = run(b);
        assertTrue(out.contains("f regular file 1234:5678 4755\n"), out);
        assertTrue(out.contains("sub directory 42:43 705\n"), out);
        assertTrue(out.contains("sub/inner regular file 0:0 644\n"), out);
        assertTrue(out.contains("null2 character special file 9:10 640\nfifo fifo 0:0 620\n"), out);
        assertTrue(out.contains("up symbolic link 7:8 777\nhostdir symbolic link 0:0 777\n"), out);
        assertTrue(out.contains("null2 1:3\n"), out);
        assertTrue(
                out.contains("../../../../../../etc/hostile\n" + outside + "\nimage data\ndeep\n"),
                "links copied as they are, content copied: " + out);
        assertFalse(out.contains("secret"), "the link to a host directory was not followed: " + out);
        assertTrue(out.contains(" / /data rw,nosuid,relatime - tmpfs "), "/data is the tmpfs: " + out);
        assertFalse(Files.exists(data.resolve("new")), "writes go to the tmpfs, not to the image");
        assertEquals("image data\n", Files.readString(data.resolve("f")));
        assertEquals(List.of("secret"), List.of(outside.toFile().list()), "nothing written outside");
    }

    /** fails on 17985a3: "tmpcopyup is not supported by jrunc yet". */
    @Test
    void tmpcopyupKeepsExtendedAttributesAndFileCapabilities() throws Exception {
        Bundle b = bundle("true");
        Path data = Files.createDirectories(b.rootfs().resolve("data"));
        Files.writeString(data.resolve("ping"), "a file with a capability");
        Files.writeString(data.resolve("tagged"), "a file with a user attribute");
        Files.getFileAttributeView(data.resolve("tagged"), UserDefinedFileAttributeView.class)
                .write("jrunc", ByteBuffer.wrap("copied".getBytes(StandardCharsets.UTF_8)));
        // chown drops security.capability: the copy must set it after the owner
        shell("chown 1000:1000 " + data.resolve("ping") + " && setcap cap_net_raw+ep " + data.resolve("ping"));
        mount(b, "/data", "tmpfs", "tmpfs", "tmpcopyup");
        String id = uniqueId("xattr");
        jrunc.run("create", "-b", b.write().toString(), id).ok();
        try {
            int pid = Bundle.parse(jrunc.run("state", id).ok().out()).get("pid").asInt();
            Path inside = Path.of("/proc/" + pid + "/root/data");
            assertTrue(
                    mountLine(Files.readString(Path.of("/proc/" + pid + "/mountinfo")), "/data")
                            .contains(" - tmpfs "),
                    "the container's /data is the tmpfs");
            Jrunc.Result caps =
                    Jrunc.raw(List.of("getcap", inside.resolve("ping").toString()), Map.of(), null, 10);
            assertTrue(caps.out().contains("cap_net_raw=ep"), caps.out() + caps.err());
            var view = Files.getFileAttributeView(inside.resolve("tagged"), UserDefinedFileAttributeView.class);
            ByteBuffer value = ByteBuffer.allocate(view.size("jrunc"));
            view.read("jrunc", value);
            assertEquals("copied", new String(value.array(), StandardCharsets.UTF_8));
        } finally {
            jrunc.run("delete", "-f", id);
        }
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
        b.withUserNamespace(100000, 65536);
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
