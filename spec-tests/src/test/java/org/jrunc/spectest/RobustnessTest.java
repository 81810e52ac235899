package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Races and crashes: two creates of one ID, and a runtime killed in the middle of create. */
class RobustnessTest extends SpecTest {

    @Test
    void twoConcurrentCreatesOfOneIdExactlyOneWins() throws Exception {
        Path b = bundle("sleep", "1000").write();
        for (int round = 0; round < 3; round++) {
            String id = uniqueId("race");
            CompletableFuture<Jrunc.Result> first =
                    CompletableFuture.supplyAsync(() -> jrunc.run("create", "-b", b.toString(), id));
            CompletableFuture<Jrunc.Result> second =
                    CompletableFuture.supplyAsync(() -> jrunc.run("create", "-b", b.toString(), id));
            List<Jrunc.Result> results = List.of(first.get(), second.get());
            List<Jrunc.Result> won = results.stream().filter(r -> r.exit() == 0).toList();
            assertEquals(1, won.size(), "exactly one create succeeds: " + results);
            Jrunc.Result lost =
                    results.stream().filter(r -> r.exit() != 0).findFirst().orElseThrow();
            assertTrue(lost.err().contains("already exists"), lost.err());

            // the loser changed nothing: the winner's container is intact and starts
            var state = Bundle.parse(jrunc.run("state", id).ok().out());
            assertEquals("created", state.get("status").asText());
            long pid = state.get("pid").asLong();
            assertTrue(Files.exists(Path.of("/proc/" + pid)), "the winner's init is alive");
            assertEquals(
                    1,
                    Leftovers.listInitProcesses().stream().filter(p -> p == pid).count());
            jrunc.run("start", id).ok();
            assertEquals(
                    "running",
                    Bundle.parse(jrunc.run("state", id).ok().out())
                            .get("status")
                            .asText());
            jrunc.run("delete", "-f", id).ok();
            assertNothingLeft();
        }
    }

    /**
     * A runtime SIGKILLed while a hook holds create up (containerd's shim timing out, an OOM kill) must leave a
     * container that `delete` removes completely: state directory, init, cgroup and mounts.
     */
    @ParameterizedTest
    @ValueSource(strings = {"createRuntime", "createContainer"})
    void aRuntimeKilledDuringCreateLeavesADeletableContainer(String hook) throws Exception {
        Bundle b = bundle("sleep", "1000");
        Path mark = tmp.resolve("hook-running");
        ObjectNode h = b.config.putObject("hooks").putArray(hook).addObject();
        h.put("path", "/bin/sh");
        String sleep = "sleep 60." + (System.nanoTime() % 1000); // a command line no other process has
        h.putArray("args").add("sh").add("-c").add("touch " + mark + "; exec " + sleep);
        String id = uniqueId("killed");
        List<String> cmd = new ArrayList<>(List.of(
                Jrunc.binary().toString(),
                "--root",
                jrunc.root().toString(),
                "create",
                "-b",
                b.write().toString(),
                id));
        Process create = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("create.log").toFile())
                .start();
        try {
            for (int i = 0; i < 600 && !Files.exists(mark); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(mark), "the " + hook + " hook ran: " + Files.readString(tmp.resolve("create.log")));
            create.toHandle().destroyForcibly();
            assertTrue(create.waitFor(20, TimeUnit.SECONDS));

            Jrunc.Result state = jrunc.run("state", id).ok();
            assertTrue(state.out().contains("\"stopped\""), "a half-made container reads as stopped: " + state.out());
            jrunc.run("delete", id).ok();
            assertTrue(jrunc.run("state", id).fails().err().contains("does not exist"));
        } finally {
            // the hook itself is a host process of the killed runtime; it is not the container's
            killProcesses(sleep);
        }
        assertNothingLeft();
    }

    private static void killProcesses(String commandLine) {
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            if (p.info().commandLine().map(c -> c.endsWith(commandLine)).orElse(false)) {
                p.destroyForcibly();
            }
        }
    }
}
