package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jrunc as an unprivileged user ({@link UnprivilegedUser}, made by the test), with runc's own `spec --rootless`
 * template: no --root, so the state goes under the user's $XDG_RUNTIME_DIR/jrunc; the container's user namespace
 * maps the user's own ids, or, through newuidmap/newgidmap, its /etc/subuid and /etc/subgid ranges. What the kernel
 * shows is read back from the host. fails on fbadc0c: every create as the user failed with "cannot create state
 * directory /run/jrunc/ID: /run/jrunc/ID".
 */
class RootlessTest extends SpecTest {
    private UnprivilegedUser user;
    private Set<String> runtimeDirBefore;
    private List<String> containersBefore;

    @BeforeEach
    void user() throws IOException {
        user = UnprivilegedUser.get();
        runtimeDirBefore = runtimeDirEntries();
        containersBefore = userContainers();
    }

    /** Whatever a test left of the user's containers goes, and nothing may be left in $XDG_RUNTIME_DIR. */
    @AfterEach
    void nothingLeftInTheRuntimeDir() throws IOException {
        for (String id : userContainers()) {
            if (!containersBefore.contains(id)) {
                user.jrunc("delete", "--force", id);
            }
        }
        assertEquals(runtimeDirBefore, runtimeDirEntries(), "new entries in " + user.runtimeDir);
        assertEquals(containersBefore, userContainers(), "state directories left in " + stateRoot());
    }

    private Path stateRoot() {
        return user.runtimeDir.resolve("jrunc");
    }

    private List<String> userContainers() throws IOException {
        if (!Files.isDirectory(stateRoot())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(stateRoot())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The runtime dir's entries, the (kept, as runc keeps its own) jrunc directory aside. */
    private Set<String> runtimeDirEntries() throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(user.runtimeDir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("jrunc"))
                    .forEach(out::add);
        }
        return out;
    }

    /** A bundle with the config.json `jrunc spec --rootless` writes as the user, running {@code args}, the user's. */
    private Bundle rootlessBundle(String... args) throws IOException {
        Bundle b = bundle(args);
        Files.deleteIfExists(b.dir.resolve("config.json"));
        user.own(b.dir);
        user.jrunc("spec", "--rootless", "--bundle", b.dir.toString()).ok();
        ObjectNode config = (ObjectNode) Bundle.parse(Files.readString(b.dir.resolve("config.json")));
        b.config.removeAll();
        b.config.setAll(config);
        b.args(args);
        b.process().put("terminal", false);
        return b;
    }

    /** Writes the config and gives the whole bundle to the user. */
    private Path write(Bundle b) {
        return user.own(b.write());
    }

    private static int pidOf(Jrunc.Result state) {
        return Bundle.parse(state.out()).get("pid").asInt();
    }

    private static String mapOf(int pid, String file) throws IOException {
        return String.join(
                " ",
                Files.readString(Path.of("/proc/" + pid + "/" + file)).trim().split("\\s+"));
    }

    /**
     * A terminal and a log as the user: create sends the pty's master to the user's --console-socket, the process has
     * it as its controlling terminal, and --log (json) is written where the user asked. Not tested before (issue 13's
     * report); passes as the root path's StdioTest does.
     */
    @Test
    void aTerminalThroughTheConsoleSocketAndAJsonLogAsTheUser() throws Exception {
        Bundle b = rootlessBundle("sh", "-c", "tty; echo done");
        b.process().put("terminal", true);
        Path bundle = write(b);
        Path dir = user.own(Files.createDirectories(tmp.resolve("user-sock")));
        Path sock = dir.resolve("console.sock");
        Syscalls sys = LinuxSyscalls.get();
        int listener = sys.listenUnix(sock.toString());
        user.own(sock);
        String id = uniqueId("rl-tty");
        CompletableFuture<Integer> master = CompletableFuture.supplyAsync(() -> {
            int conn = sys.accept(listener);
            int[] fds = sys.recvFds(conn, new byte[256], new int[1], 4);
            sys.close(conn);
            return fds.length == 1 ? fds[0] : -1;
        });
        Path log = dir.resolve("jrunc.log");
        try {
            user.jrunc(
                            "--log",
                            log.toString(),
                            "--log-format",
                            "json",
                            "create",
                            "--console-socket",
                            sock.toString(),
                            "-b",
                            bundle.toString(),
                            id)
                    .ok();
            int fd = master.get(30, TimeUnit.SECONDS);
            assertTrue(fd >= 0, "one descriptor received");
            user.jrunc("start", id).ok();
            String out = PtyOutput.readUntil(sys, fd, "done");
            assertTrue(out.startsWith("/dev/pts/"), out);
            assertFalse(user.jrunc("--log", log.toString(), "--log-format", "json", "kill", id, "BOGUS")
                            .exit()
                    == 0);
            assertTrue(Files.readString(log).contains("\"level\":\"error\""), "json log: " + Files.readString(log));
        } finally {
            sys.close(listener);
            user.jrunc("delete", "--force", id);
        }
        assertNothingLeft();
    }

    @Test
    void theRootlessTemplateRunsThroughItsLifecycleAsTheUser() throws Exception {
        Bundle b = rootlessBundle("sleep", "1000");
        String id = uniqueId("rl");
        user.jrunc("create", "--bundle", write(b).toString(), id).ok();
        assertTrue(Files.isDirectory(stateRoot().resolve(id)), "the state is under $XDG_RUNTIME_DIR/jrunc");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stateRoot())));
        Jrunc.Result state = user.jrunc("state", id).ok();
        assertTrue(state.out().contains("\"created\""), state.out());
        int pid = pidOf(state);
        assertEquals("0 " + user.uid + " 1", mapOf(pid, "uid_map"), "the user's own uid, written directly");
        assertEquals("0 " + user.gid + " 1", mapOf(pid, "gid_map"));
        assertEquals(
                "deny", Files.readString(Path.of("/proc/" + pid + "/setgroups")).trim());
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        assertTrue(status.contains("\nUid:\t" + user.uid + "\t" + user.uid + "\t"), "the init is the user on the host");
        assertFalse(
                Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/user"))
                        .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/user"))),
                "a user namespace of its own");

        user.jrunc("start", id).ok();
        assertTrue(user.jrunc("state", id).ok().out().contains("\"running\""));
        assertTrue(user.jrunc("ps", id).ok().out().contains(Integer.toString(pid)), "ps shows the init");
        assertTrue(user.jrunc("list").ok().out().contains(id), "list shows it");
        user.jrunc("kill", id, "KILL").ok();
        for (int i = 0; i < 100 && !user.jrunc("state", id).out().contains("\"stopped\""); i++) {
            Thread.sleep(50);
        }
        assertTrue(user.jrunc("state", id).ok().out().contains("\"stopped\""));
        user.jrunc("delete", id).ok();
        assertTrue(user.jrunc("state", id).fails().err().contains("does not exist"));
        assertNothingLeft();
    }

    @Test
    void execRunsInTheUsersContainer() throws Exception {
        Bundle b = rootlessBundle("sleep", "1000");
        String id = uniqueId("rl-exec");
        user.jrunc("create", "--bundle", write(b).toString(), id).ok();
        user.jrunc("start", id).ok();
        Jrunc.Result r = user.jrunc("exec", id, "sh", "-c", "id -u; id -g; cat /proc/self/uid_map; ls /dev/null")
                .ok();
        String[] lines = r.out().trim().split("\n");
        assertEquals("0", lines[0], r.out());
        assertEquals("0", lines[1]);
        assertEquals("0 " + user.uid + " 1", String.join(" ", lines[2].trim().split("\\s+")));
        assertEquals("/dev/null", lines[3], "the host's device nodes, bind-mounted");
        user.jrunc("delete", "--force", id).ok();
        assertNothingLeft();
    }

    /**
     * A sysfs mount (the root template's) in a user namespace without a network namespace of its own cannot be made:
     * the host's /sys is bind-mounted read-only instead, as crun does. fails on fbadc0c: create failed with EPERM.
     */
    @Test
    void sysfsIsTheHostsReadOnlyWhenItCannotBeMounted() throws Exception {
        Bundle b = rootlessBundle("sleep", "1000");
        for (var m : b.mounts()) {
            if (m.get("destination").asText().equals("/sys")) {
                ObjectNode sysfs = (ObjectNode) m;
                sysfs.put("type", "sysfs").put("source", "sysfs");
                sysfs.putArray("options")
                        .add("nosuid")
                        .add("noexec")
                        .add("nodev")
                        .add("ro");
            }
        }
        String id = uniqueId("rl-sys");
        user.jrunc("create", "--bundle", write(b).toString(), id).ok();
        user.jrunc("start", id).ok();
        Jrunc.Result r = user.jrunc(
                        "exec", id, "sh", "-c", "grep ' /sys ' /proc/self/mountinfo; test -e /sys/kernel; touch /sys/x")
                .fails();
        String line = r.out().trim().split("\n")[0];
        assertTrue(line.contains(" /sys ro,nosuid,nodev,noexec"), line);
        assertTrue(line.contains(" - sysfs "), line);
        assertTrue(r.err().contains("Read-only file system"), r.err());
        user.jrunc("delete", "--force", id).ok();
        assertNothingLeft();
    }

    /**
     * Container ids 0..65536: 0 is the user, 1.. its subordinate range, mapped by newuidmap and newgidmap; a file a
     * container user makes shows up on the host with the subordinate id.
     */
    @Test
    void subordinateRangesAreMappedThroughNewuidmap() throws Exception {
        long subuid = user.subordinateStart(Path.of("/etc/subuid"));
        long subgid = user.subordinateStart(Path.of("/etc/subgid"));
        Bundle b = rootlessBundle("sleep", "1000").writableRootfs();
        mappings(b.linux().putArray("uidMappings"), user.uid, subuid);
        mappings(b.linux().putArray("gidMappings"), user.gid, subgid);
        String id = uniqueId("rl-sub");
        user.jrunc("create", "--bundle", write(b).toString(), id).ok();
        int pid = pidOf(user.jrunc("state", id).ok());
        assertEquals("0 " + user.uid + " 1 1 " + subuid + " 65536", mapOf(pid, "uid_map"));
        assertEquals("0 " + user.gid + " 1 1 " + subgid + " 65536", mapOf(pid, "gid_map"));
        assertEquals(
                "allow",
                Files.readString(Path.of("/proc/" + pid + "/setgroups")).trim(),
                "newgidmap's range");
        user.jrunc("start", id).ok();
        user.jrunc("exec", "--user", "1000:1000", id, "touch", "/tmp/made-by-1000")
                .ok();
        Path made = b.rootfs().resolve("tmp/made-by-1000");
        assertEquals(subuid + 999, ((Integer) Files.getAttribute(made, "unix:uid")).longValue());
        assertEquals(subgid + 999, ((Integer) Files.getAttribute(made, "unix:gid")).longValue());
        user.jrunc("delete", "--force", id).ok();
        assertNothingLeft();
    }

    private static void mappings(ArrayNode a, long own, long subordinate) {
        a.addObject().put("containerID", 0).put("hostID", own).put("size", 1);
        a.addObject().put("containerID", 1).put("hostID", subordinate).put("size", 65536);
    }

    @Test
    void aMappingOutsideTheUsersRangesIsRefusedNamingTheRange() throws Exception {
        long subuid = user.subordinateStart(Path.of("/etc/subuid"));
        Bundle b = rootlessBundle("true");
        ArrayNode uids = b.linux().putArray("uidMappings");
        uids.addObject().put("containerID", 0).put("hostID", user.uid).put("size", 1);
        uids.addObject().put("containerID", 1).put("hostID", subuid + 65536).put("size", 10);
        String id = uniqueId("rl-out");
        Jrunc.Result r =
                user.jrunc("create", "--bundle", write(b).toString(), id).fails();
        assertEquals(1, r.err().trim().split("\n").length, r.err());
        assertTrue(
                r.err().contains("linux.uidMappings[1]: host uids " + (subuid + 65536) + "-" + (subuid + 65545)),
                r.err());
        assertTrue(r.err().contains(subuid + "-" + (subuid + 65535) + " in /etc/subuid"), r.err());
        assertEquals(containersBefore, userContainers());
        assertNothingLeft();
    }

    /**
     * The runtime killed at a step of create (a hook holds it there) leaves a container that the user's `delete
     * --force` removes completely: as root in RobustnessTest.
     */
    @ParameterizedTest
    @ValueSource(strings = {"createRuntime", "createContainer", "afterCreate"})
    void aRuntimeKilledDuringCreateIsCleanedByDeleteForce(String step) throws Exception {
        Bundle b = rootlessBundle("sleep", "1000");
        Path marks = user.own(Files.createDirectories(tmp.resolve("marks")));
        Path mark = marks.resolve("reached");
        String sleep = "sleep 60." + (System.nanoTime() % 1000); // a command line no other process has
        if (!step.equals("afterCreate")) {
            ObjectNode h = b.config.putObject("hooks").putArray(step).addObject();
            h.put("path", "/bin/sh");
            h.putArray("args").add("sh").add("-c").add("touch " + mark + "; exec " + sleep);
        }
        String id = uniqueId("rl-killed");
        List<String> cmd = user.commandLine(
                List.of(Jrunc.binary().toString(), "create", "--bundle", write(b).toString(), id), Map.of());
        Process create = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("create.log").toFile())
                .start();
        try {
            if (step.equals("afterCreate")) {
                assertTrue(create.waitFor(60, TimeUnit.SECONDS));
            } else {
                for (int i = 0; i < 600 && !Files.exists(mark); i++) {
                    Thread.sleep(50);
                }
                assertTrue(Files.exists(mark), step + " ran: " + Files.readString(tmp.resolve("create.log")));
                create.toHandle().destroyForcibly();
                assertTrue(create.waitFor(20, TimeUnit.SECONDS));
            }
            user.jrunc("delete", "--force", id).ok();
            assertTrue(user.jrunc("state", id).fails().err().contains("does not exist"));
        } finally {
            for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
                if (p.info().commandLine().map(c -> c.endsWith(sleep)).orElse(false)) {
                    p.destroyForcibly();
                }
            }
        }
        assertNothingLeft();
    }

    @Test
    void anUnwritableRootIsNamed() throws Exception {
        Path rootOwned = Files.createDirectories(tmp.resolve("root-owned"));
        Bundle b = rootlessBundle("true");
        String id = uniqueId("rl-root");
        Jrunc.Result r = user.jrunc(
                        "--root", rootOwned.resolve("state").toString(), "create", "--bundle", write(b).toString(), id)
                .fails();
        assertEquals("cannot create state directory " + rootOwned.resolve("state") + ": permission denied", message(r));
        assertNothingLeft();
    }

    @Test
    void aMissingXdgRuntimeDirIsNamed() throws Exception {
        Bundle b = rootlessBundle("true");
        String id = uniqueId("rl-noxdg");
        Jrunc.Result r = user.run(
                List.of(
                        "env",
                        "-u",
                        "XDG_RUNTIME_DIR",
                        Jrunc.binary().toString(),
                        "create",
                        "--bundle",
                        write(b).toString(),
                        id),
                Map.of(),
                null,
                60);
        assertTrue(r.exit() != 0, r.err());
        String line = message(r);
        assertTrue(line.startsWith("cannot create state directory /run/jrunc"), line);
        assertTrue(
                line.endsWith("(XDG_RUNTIME_DIR is not set and /run/jrunc is root's: set XDG_RUNTIME_DIR or give "
                        + "--root)"),
                line);
        assertNothingLeft();
    }

    @Test
    void aRootfsTheUserCannotReadIsNamed() throws Exception {
        Bundle b = rootlessBundle("true");
        Path bundle = write(b);
        UnprivilegedUser.chown(b.rootfs(), 0, 0);
        Files.setPosixFilePermissions(b.rootfs(), PosixFilePermissions.fromString("rwx------"));
        String id = uniqueId("rl-rootfs");
        Jrunc.Result r = user.jrunc("create", "--bundle", bundle.toString(), id).fails();
        assertEquals(
                "config.json: field root.path: rootfs " + b.rootfs().toRealPath() + ": permission denied: uid "
                        + user.uid + " cannot read it and its owner, uid 0, is not mapped into the container",
                message(r));
        assertEquals(containersBefore, userContainers());
        assertNothingLeft();
    }

    /** The one error line's msg="...". */
    private static String message(Jrunc.Result r) {
        String[] lines = r.err().trim().split("\n");
        assertEquals(1, lines.length, r.err());
        int at = lines[0].indexOf("msg=\"");
        assertTrue(at >= 0, lines[0]);
        return lines[0].substring(at + 5, lines[0].length() - 1).replace("\\\"", "\"");
    }
}
