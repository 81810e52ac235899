package org.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OomCounterTest {
    @TempDir
    Path tmp;

    @Test
    void v1CountsFromOomControl() throws Exception {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        Map<String, String> dirs = t.create("/c1");
        t.write("memory/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        OomCounter oom = OomCounter.watch(dirs, t);
        assertEquals(2, oom.count());
        assertEquals(0, oom.poll()); // kills before watching are not news
        t.write("memory/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 5\n");
        assertEquals(3, oom.poll());
        assertEquals(0, oom.poll());
        Files.delete(tmp.resolve("memory/c1/memory.oom_control"));
        assertEquals(-1, oom.poll()); // the cgroup is gone: end of the events loop
    }

    @Test
    void v2CountsFromMemoryEvents() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory");
        t.write("fs/cgroup.subtree_control", "memory\n");
        Map<String, String> dirs = t.create("/c1");
        OomCounter oom = OomCounter.watch(dirs, t);
        assertEquals(0, oom.count());
        t.write("fs/c1/memory.events", "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");
        assertEquals(1, oom.poll());
    }

    @Test
    void noMemoryControllerNoCount() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "pids");
        assertEquals(-1, OomCounter.watch(t.create("/c1"), t).count());
    }
}
