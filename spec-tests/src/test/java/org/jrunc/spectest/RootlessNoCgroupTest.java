package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A rootless container on this hybrid host, run by {@link UnprivilegedUser}, who has no writable cgroup here: its
 * cgroups are those of the test run (root's), and nothing delegates a subtree to it. Without limits the container
 * runs in the caller's cgroups, as under runc; with limits it is refused in one line naming the field, and nothing is
 * left. {@link RootlessCgroupV2Test} has the delegated case, in the cgroup v2 guest.
 */
class RootlessNoCgroupTest extends SpecTest {
    /**
     * A bundle owned by {@code user} whose config.json is `jrunc spec --rootless`'s, written as that user (so its own
     * ids are in the maps), running {@code args} without a terminal.
     */
    static Bundle rootlessBundle(Path parent, UnprivilegedUser user, String... args) throws IOException {
        Bundle b = Bundle.create(parent, args);
        user.own(b.dir);
        Path config = b.dir.resolve("config.json");
        Jrunc.Result spec = user.jrunc("spec", "--rootless", "--bundle", b.dir.toString());
        assertEquals(0, spec.exit(), spec.err());
        ObjectNode generated = (ObjectNode) Bundle.parse(Files.readString(config));
        Files.delete(config);
        b.config.removeAll();
        b.config.setAll(generated);
        b.args(args);
        b.process().put("terminal", false);
        return b;
    }

    /** The cgroup directories named {@code id} in any hierarchy: where a container's cgroup would be. */
    static List<Path> cgroupsNamed(String id) {
        try (Stream<Path> s = Files.find(
                Path.of("/sys/fs/cgroup"),
                12,
                (p, a) -> a.isDirectory() && p.getFileName().toString().equals(id))) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of the user's default state root ($XDG_RUNTIME_DIR/jrunc). */
    static List<String> userState(UnprivilegedUser user) throws IOException {
        Path root = user.runtimeDir.resolve("jrunc");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /**
     * Without a cgroup, ps lists the init's tree and kill --all reaches it: TERM ends the two children while the
     * shell, pid 1 of its pid namespace without a handler, stays. Fails on d23a65c (checked): ps listed
     * the init alone and kill --all signalled only the init.
     */
    @Test
    void psAndKillAllReachTheInitsTreeWithoutACgroup() throws Exception {
        UnprivilegedUser user = UnprivilegedUser.get();
        String id = uniqueId("rl-tree");
        Bundle b = rootlessBundle(tmp, user, "sh", "-c", "sleep 1000 & sleep 1000 & wait; sleep 1000");
        b.write();
        try {
            user.jrunc("run", "-d", "-b", b.dir.toString(), id).ok();
            List<Integer> pids = List.of();
            for (int i = 0; i < 100 && pids.size() < 3; i++) {
                Thread.sleep(50);
                pids = psPids(user, id);
            }
            assertEquals(3, pids.size(), "the shell and its two sleeps: " + pids);
            user.jrunc("kill", "--all", id, "TERM").ok();
            for (int i = 0; i < 100 && pids.size() > 1; i++) {
                Thread.sleep(50);
                pids = psPids(user, id);
            }
            int init =
                    Bundle.parse(user.jrunc("state", id).ok().out()).get("pid").asInt();
            assertEquals(List.of(init), pids, "TERM reached the children; pid 1 ignores it");
            // update says what is missing: the container's cgroup, not the host's controller
            Jrunc.Result update = user.jrunc("update", "--memory", "64m", id);
            assertTrue(
                    update.exit() != 0
                            && update.err()
                                    .contains("linux.resources.memory.limit: the container has no memory cgroup"),
                    update.err());
        } finally {
            user.jrunc("delete", "--force", id);
        }
        assertNothingLeft();
    }

    private static List<Integer> psPids(UnprivilegedUser user, String id) {
        List<Integer> out = new java.util.ArrayList<>();
        Bundle.parse(user.jrunc("ps", "--format", "json", id).ok().out()).forEach(n -> out.add(n.asInt()));
        return out;
    }

    /**
     * No limits and no writable cgroup: the container runs in its caller's cgroups, kill --all reaches it through its
     * init, and delete leaves nothing (fails on fbadc0c: "cannot create state directory", and with that fixed, the
     * cgroup under /jrunc that the user may not make).
     */
    @Test
    void withoutLimitsTheContainerRunsInTheCallersCgroups() throws Exception {
        UnprivilegedUser user = UnprivilegedUser.get();
        String id = uniqueId("rl-nocg");
        Bundle b = rootlessBundle(tmp, user, "sleep", "1000");
        b.write();
        try {
            Jrunc.Result created = user.jrunc("create", "-b", b.dir.toString(), id);
            assertEquals(0, created.exit(), created.err());
            int pid =
                    Bundle.parse(user.jrunc("state", id).ok().out()).get("pid").asInt();
            assertEquals(
                    Files.readString(Path.of("/proc/self/cgroup")),
                    Files.readString(Path.of("/proc/" + pid + "/cgroup")),
                    "the init stays in the cgroups jrunc was started in");
            assertEquals(List.of(), cgroupsNamed(id));
            user.jrunc("start", id).ok();
            user.jrunc("kill", "--all", id, "KILL").ok();
            for (int i = 0; i < 100 && Files.exists(Path.of("/proc/" + pid)); i++) {
                Thread.sleep(50);
            }
            assertEquals(
                    "stopped",
                    Bundle.parse(user.jrunc("state", id).ok().out())
                            .get("status")
                            .asText());
            user.jrunc("delete", id).ok();
        } finally {
            user.jrunc("delete", "--force", id);
        }
        assertEquals(List.of(), userState(user));
        assertEquals(List.of(), cgroupsNamed(id));
    }

    /**
     * A memory limit and no writable cgroup: one line naming the field, the directory the user cannot write and the
     * missing delegation, and nothing left (fails on fbadc0c: "cannot create state directory").
     */
    @Test
    void limitsWithoutAWritableCgroupAreRefusedNamingTheField() throws Exception {
        UnprivilegedUser user = UnprivilegedUser.get();
        String id = uniqueId("rl-limit");
        Bundle b = rootlessBundle(tmp, user, "true");
        b.linux().putObject("resources").putObject("memory").put("limit", 64L << 20);
        b.write();
        Jrunc.Result r = user.jrunc("run", "-b", b.dir.toString(), id);
        assertNotEquals(0, r.exit(), r.out());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(
                err.contains(
                                "config.json: field linux.resources.memory.limit: needs a writable cgroup: /sys/fs/cgroup/")
                        && err.contains(" is not writable by uid " + user.uid + " (no delegated cgroup v2 subtree)"),
                err);
        assertEquals(List.of(), userState(user));
        assertEquals(List.of(), cgroupsNamed(id));
    }
}
