package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.json.Json;
import org.jrunc.json.JsonWriter;
import org.junit.jupiter.api.Test;

class RuntimeSpecBuilderTest {
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private final FakeRootfsFiles files = new FakeRootfsFiles();

    private Map<String, Object> build(String imageConfig) {
        ImageConfig c = ImageConfigTest.parse(imageConfig);
        // through JSON text and back: what config.json will hold
        return Json.parseObject(JsonWriter.pretty(RuntimeSpecBuilder.build(c, files, "img")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> process(Map<String, Object> spec) {
        return (Map<String, Object>) spec.get("process");
    }

    private List<?> args(String imageConfig) {
        return (List<?>) process(build(imageConfig)).get("args");
    }

    @Test
    void entrypointAndCmdAreJoined() {
        assertEquals(
                List.of("/bin/app", "--port", "80"),
                args("{\"Entrypoint\":[\"/bin/app\"],\"Cmd\":[\"--port\",\"80\"]}"));
        assertEquals(List.of("/bin/app"), args("{\"Entrypoint\":[\"/bin/app\"]}"));
        assertEquals(List.of("sh"), args("{\"Cmd\":[\"sh\"]}"));
        assertEquals(List.of("/bin/app"), args("{\"Entrypoint\":[\"/bin/app\"],\"Cmd\":[]}"));
    }

    @Test
    void withoutACommandTheSingularityRunScriptOrAShellRuns() {
        assertEquals(List.of("/bin/sh"), args("{}"));
        files.with(RuntimeSpecBuilder.SINGULARITY_RUN, "#!/bin/sh");
        assertEquals(List.of("/.singularity.d/actions/run"), args("{}"));
        assertEquals(List.of("sh"), args("{\"Cmd\":[\"sh\"]}"), "a command wins over the run script");
    }

    @Test
    void imageEnvReplacesTemplateValuesInPlaceAndAddsTheRest() {
        assertEquals(List.of(DEFAULT_PATH, "TERM=xterm"), process(build("{}")).get("env"));
        assertEquals(
                List.of("PATH=/opt/bin:/bin", "TERM=xterm", "LANG=C.UTF-8", "EMPTY="),
                process(build("{\"Env\":[\"LANG=C.UTF-8\",\"PATH=/opt/bin:/bin\",\"EMPTY=\"]}"))
                        .get("env"));
        assertEquals(
                List.of(DEFAULT_PATH, "TERM=xterm", "A=2"),
                process(build("{\"Env\":[\"A=1\",\"A=2\"]}")).get("env"),
                "the last value of a name wins");
    }

    @Test
    void workingDirBecomesCwd() {
        assertEquals("/", process(build("{}")).get("cwd"));
        assertEquals("/srv/app", process(build("{\"WorkingDir\":\"/srv/app\"}")).get("cwd"));
    }

    @Test
    void userBecomesNumericIds() {
        files.with("/etc/passwd", "app:x:1000:1001::/home/app:/bin/sh\n");
        assertEquals(Map.of("uid", 0L, "gid", 0L), process(build("{}")).get("user"));
        assertEquals(
                Map.of("uid", 1000L, "gid", 1001L),
                process(build("{\"User\":\"app\"}")).get("user"));
        JruncException e = assertThrows(JruncException.class, () -> build("{\"User\":\"ghost\"}"));
        assertEquals("img: User \"ghost\": no user \"ghost\" in the image's /etc/passwd", e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void volumesAreBindMountedFromTheBundle() {
        List<Object> mounts = (List<Object>)
                build("{\"Volumes\":{\"/data\":{},\"/var/lib/db\":{}}}").get("mounts");
        assertEquals(
                Map.of(
                        "destination",
                        "/data",
                        "type",
                        "bind",
                        "source",
                        "volumes/_data",
                        "options",
                        List.of("rbind", "rw")),
                mounts.get(mounts.size() - 2));
        assertEquals("volumes/_var_lib_db", ((Map<String, Object>) mounts.get(mounts.size() - 1)).get("source"));
        assertTrue(mounts.stream().anyMatch(m -> "/proc".equals(((Map<String, Object>) m).get("destination"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRestIsRuncsTemplateMadeToRunTheMountedImage() {
        Map<String, Object> spec = build("{}");
        // relative to the bundle, which may be moved or copied; a terminal, as Singularity's default config has
        assertEquals(Map.of("path", "rootfs", "readonly", false), spec.get("root"));
        assertEquals(true, process(spec).get("terminal"));
        Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
        assertEquals(
                List.of(
                        Map.of("type", "pid"),
                        Map.of("type", "ipc"),
                        Map.of("type", "uts"),
                        Map.of("type", "mount"),
                        Map.of("type", "network")),
                linux.get("namespaces"));
        assertTrue(linux.containsKey("maskedPaths") && linux.containsKey("resources"));
        Map<String, Object> caps = (Map<String, Object>) process(spec).get("capabilities");
        assertEquals(RuntimeSpecBuilder.CAPABILITIES, caps.get("bounding"));
        assertEquals(caps.get("bounding"), caps.get("effective"));
        assertEquals(true, process(spec).get("noNewPrivileges"));
    }
}
