package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** `spec`: runc's template, which must also run as it is (given a rootfs and a command that needs no terminal). */
class SpecCommandTest extends SpecTest {

    private JsonNode spec(Path dir, String... flags) throws Exception {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(Jrunc.binary().toString(), "spec", "-b", dir.toString()));
        cmd.addAll(List.of(flags));
        Jrunc.raw(cmd, Map.of(), null, 60).ok();
        return Bundle.JSON.readTree(dir.resolve("config.json").toFile());
    }

    @Test
    void theTemplateRunsAndRefusesToBeOverwritten() throws Exception {
        Bundle b = bundle();
        JsonNode config = spec(b.dir);
        assertEquals("sh", config.get("process").get("args").get(0).asText());
        assertTrue(config.get("process").get("terminal").asBoolean(), "runc's template asks for a terminal");

        ObjectNode edited = (ObjectNode) config;
        ((ObjectNode) edited.get("process"))
                .put("terminal", false)
                .putArray("args")
                .add("sh")
                .add("-c")
                .add("hostname; id -u");
        Files.writeString(b.dir.resolve("config.json"), edited.toString());
        Jrunc.Result r =
                jrunc.run("run", "-b", b.dir.toString(), uniqueId("spec")).ok();
        assertEquals(config.get("hostname").asText() + "\n0\n", r.out());
        // silent, as runc is: the template's ambient capabilities, which have no inheritable ones, are skipped with a
        // debug message, not a warning at every run (issue 12)
        assertEquals("", r.err());

        Jrunc.Result again = Jrunc.raw(
                        List.of(Jrunc.binary().toString(), "spec", "-b", b.dir.toString()), Map.of(), null, 60)
                .fails();
        assertTrue(again.err().contains("exists. Remove it first"), again.err());
        assertEquals(edited, Bundle.JSON.readTree(b.dir.resolve("config.json").toFile()), "left untouched");
        assertNothingLeft();
    }

    @Test
    void rootlessMapsTheCallerAndDropsTheNetworkNamespace() throws Exception {
        JsonNode config = spec(tmp.resolve("rootless"), "--rootless");
        JsonNode linux = config.get("linux");
        assertEquals(0, linux.get("uidMappings").get(0).get("hostID").asLong(), "root calls it: euid 0");
        assertEquals(0, linux.get("gidMappings").get(0).get("hostID").asLong());
        assertTrue(linux.get("namespaces").findValuesAsText("type").contains("user"));
        assertTrue(!linux.get("namespaces").findValuesAsText("type").contains("network"));
        assertTrue(!linux.has("resources"), "no cgroup limits for a rootless container");
    }

    /** Field by field, jrunc's template is runc's, apart from the names and versions that identify the runtime. */
    @Test
    void sameTemplateAsRunc() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")), "runc installed");
        for (String[] flags : new String[][] {{}, {"--rootless"}}) {
            ObjectNode ours = (ObjectNode) spec(tmp.resolve("j" + flags.length), flags);
            Path theirs = Files.createDirectories(tmp.resolve("r" + flags.length));
            List<String> cmd = new ArrayList<>(List.of("/usr/sbin/runc", "spec", "-b", theirs.toString()));
            cmd.addAll(List.of(flags));
            Jrunc.raw(cmd, Map.of(), null, 60).ok();
            ObjectNode runc = (ObjectNode)
                    Bundle.JSON.readTree(theirs.resolve("config.json").toFile());
            for (ObjectNode c : List.of(ours, runc)) {
                c.remove(List.of("hostname", "ociVersion"));
                // runc 1.1 predates the cgroup namespace in its template; newer runc has it, as jrunc does
                var namespaces = (ArrayNode) c.get("linux").get("namespaces");
                for (int i = namespaces.size() - 1; i >= 0; i--) {
                    if (namespaces.get(i).get("type").asText().equals("cgroup")) {
                        namespaces.remove(i);
                    }
                }
            }
            assertEquals(runc, ours, "spec " + String.join(" ", flags));
        }
    }
}
