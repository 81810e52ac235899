package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rootless container in a delegated cgroup v2 subtree, in the cgroup v2 guest (scripts/test-cgroup-v2.sh; tag
 * cgroup-v2). The delegation is an administrator's, as cgroup-v2.rst describes it and as systemd's user@.service does
 * it: a cgroup whose directory and cgroup.procs, cgroup.subtree_control and cgroup.threads belong to {@link
 * UnprivilegedUser}, with the user's processes in a session cgroup inside it. The test run itself moves into that
 * session, so the jrunc it starts as the user is there too, and the container's cgroup goes next to the session, as
 * runc puts it. Limits, exec, pause and resume (cgroup.freeze), ps, events --stats and kill --all (cgroup.kill) are
 * read back from the kernel's files, and `events` reports the OOM kills of the delegated cgroup.
 */
@Tag("cgroup-v2")
class RootlessCgroupV2Test extends SpecTest {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final Path DELEGATED = ROOT.resolve("jrunc-rl-delegated");
    private static final Path SESSION = DELEGATED.resolve("session");
    /** The test run's own cgroup before it moved into the session, to go back to. */
    private static String origin;

    private static UnprivilegedUser user;

    @BeforeAll
    static void delegateASubtree() throws IOException {
        Assumptions.assumeTrue(CgroupFs.v2Only(), "a cgroup v2 only host");
        user = UnprivilegedUser.get();
        Files.writeString(ROOT.resolve("cgroup.subtree_control"), "+memory +pids");
        for (Path dir : List.of(DELEGATED, SESSION)) {
            Files.createDirectories(dir);
            for (Path p : List.of(
                    dir,
                    dir.resolve("cgroup.procs"),
                    dir.resolve("cgroup.subtree_control"),
                    dir.resolve("cgroup.threads"))) {
                Files.setAttribute(p, "unix:uid", user.uid);
                Files.setAttribute(p, "unix:gid", user.gid);
            }
        }
        origin = Files.readString(Path.of("/proc/self/cgroup")).strip().substring("0::".length());
        Files.writeString(
                SESSION.resolve("cgroup.procs"),
                Long.toString(ProcessHandle.current().pid()));
    }

    @AfterAll
    static void undelegate() throws IOException {
        if (origin == null) {
            return;
        }
        Files.writeString(
                ROOT.resolve(origin.substring(1)).resolve("cgroup.procs"),
                Long.toString(ProcessHandle.current().pid()));
        Files.delete(SESSION);
        Files.delete(DELEGATED);
    }

    private static String read(Path cgroup, String file) throws IOException {
        return Files.readString(cgroup.resolve(file)).strip();
    }

    private static Set<Integer> procs(Path cgroup) throws IOException {
        Set<Integer> out = new TreeSet<>();
        for (String line : read(cgroup, "cgroup.procs").split("\n")) {
            if (!line.isBlank()) {
                out.add(Integer.parseInt(line.trim()));
            }
        }
        return out;
    }

    private static String status(String id) {
        return Bundle.parse(user.jrunc("state", id).ok().out()).get("status").asText();
    }

    private static List<String> children(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
    }

    /** fails on fbadc0c: "cannot create state directory"; with that fixed, the user may not make /jrunc. */
    @Test
    void aDelegatedSubtreeTakesLimitsPauseResumePsEventsAndKillAll() throws Exception {
        String id = uniqueId("rl-v2");
        Bundle b = RootlessNoCgroupTest.rootlessBundle(tmp, user, "sh", "-c", "sleep 1000 & sleep 1000 & wait");
        ObjectNode r = b.linux().putObject("resources");
        r.putObject("memory").put("limit", 64L << 20);
        r.putObject("pids").put("limit", 20);
        b.write();
        Path cgroup = DELEGATED.resolve(id);
        try {
            Jrunc.Result run = user.jrunc("run", "-d", "-b", b.dir.toString(), id);
            assertEquals(0, run.exit(), run.err());
            assertEquals(user.uid, Files.getAttribute(cgroup, "unix:uid"), "the user made the cgroup");
            assertEquals(Long.toString(64L << 20), read(cgroup, "memory.max"));
            assertEquals("20", read(cgroup, "pids.max"));

            JsonNode ps =
                    Bundle.parse(user.jrunc("ps", "--format", "json", id).ok().out());
            Set<Integer> listed = new TreeSet<>();
            ps.forEach(p -> listed.add(p.asInt()));
            assertEquals(3, listed.size(), ps.toString());
            assertEquals(procs(cgroup), listed, "ps lists the cgroup's processes");

            user.jrunc("pause", id).ok();
            assertEquals("1", read(cgroup, "cgroup.freeze"));
            assertTrue(read(cgroup, "cgroup.events").lines().anyMatch("frozen 1"::equals), "the kernel froze it");
            assertEquals("paused", status(id));
            user.jrunc("resume", id).ok();
            assertTrue(read(cgroup, "cgroup.events").lines().anyMatch("frozen 0"::equals), "the kernel thawed it");
            assertEquals("running", status(id));

            JsonNode stats =
                    Bundle.parse(user.jrunc("events", "--stats", id).ok().out());
            assertEquals(3, stats.get("data").get("pids").get("current").asInt(), stats.toString());
            assertEquals(
                    64L << 20,
                    stats.get("data").get("memory").get("usage").get("limit").asLong(),
                    stats.toString());

            user.jrunc("kill", "--all", id, "KILL").ok();
            for (int i = 0; i < 200 && !status(id).equals("stopped"); i++) {
                Thread.sleep(50);
            }
            assertEquals("stopped", status(id));
            assertEquals(Set.of(), procs(cgroup), "cgroup.kill took every process");
            user.jrunc("delete", id).ok();
        } finally {
            user.jrunc("delete", "--force", id);
        }
        assertFalse(Files.exists(cgroup));
        assertEquals(List.of("session"), children(DELEGATED));
        assertEquals(List.of(), RootlessNoCgroupTest.userState(user));
    }

    /**
     * `events` run by the user sees the OOM killer strike in the user's cgroup (memory.events of the delegated one).
     * Fails on fbadc0c: "cannot create state directory"; with that fixed, the user may not make /jrunc.
     */
    @Test
    void eventsReportAnOomKillInTheDelegatedCgroup() throws Exception {
        String id = uniqueId("rl-oom");
        Bundle b = RootlessNoCgroupTest.rootlessBundle(
                tmp, user, "sh", "-c", "while [ ! -e /go ]; do sleep 0.1; done; x=a; while true; do x=$x$x; done");
        // swap = limit: no swap, so the doubling string meets the OOM killer
        b.linux()
                .putObject("resources")
                .putObject("memory")
                .put("limit", 64L << 20)
                .put("swap", 64L << 20);
        b.write();
        Path out = tmp.resolve("events.out");
        Files.writeString(out, "");
        user.own(out);
        try {
            user.jrunc("run", "-d", "-b", b.dir.toString(), id).ok();
            // in the background, as the user: it ends when the container does
            user.run(
                            List.of(
                                    "sh",
                                    "-c",
                                    Jrunc.binary() + " events --interval 100ms " + id + " >" + out + " 2>&1 &"),
                            java.util.Map.of(),
                            null,
                            60)
                    .ok();
            for (int i = 0; i < 1200 && !Files.readString(out).contains("\"type\":\"stats\""); i++) {
                Thread.sleep(100);
            }
            Files.createFile(b.rootfs().resolve("go"));
            for (int i = 0; i < 1200 && !Files.readString(out).contains("\"type\":\"oom\""); i++) {
                Thread.sleep(100);
            }
            String printed = Files.readString(out);
            assertTrue(
                    printed.lines().anyMatch(l -> l.contains("\"type\":\"oom\"") && l.contains(id)),
                    "oom event: " + printed);
            assertTrue(
                    read(DELEGATED.resolve(id), "memory.events").lines().anyMatch(l -> l.matches("oom_kill [1-9].*")),
                    "the kernel counted it in the delegated cgroup");
        } finally {
            user.jrunc("delete", "--force", id);
        }
        assertFalse(Files.exists(DELEGATED.resolve(id)));
    }
}
