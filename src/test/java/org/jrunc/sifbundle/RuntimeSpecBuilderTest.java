package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.json.Json;
import org.jrunc.json.JsonWriter;
import org.jrunc.sys.EffectiveIds;
import org.junit.jupiter.api.Test;

class RuntimeSpecBuilderTest {
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private final FakeRootfsFiles files = new FakeRootfsFiles();

    private static final Caller ALICE = new Caller(
            new EffectiveIds(1001, 1002),
            "alice",
            Optional.of(new SubordinateRange(Caller.SUBUID, 100000, 65536)),
            Optional.of(new SubordinateRange(Caller.SUBGID, 300000, 65536)));
    private static final Caller WITHOUT_RANGES =
            new Caller(new EffectiveIds(1001, 1002), "bob", Optional.empty(), Optional.empty());

    private Map<String, Object> build(String imageConfig) {
        return build(imageConfig, Caller.ROOT);
    }

    private Map<String, Object> build(String imageConfig, Caller caller) {
        ImageConfig c = ImageConfigTest.parse(imageConfig);
        // through JSON text and back: what config.json will hold
        return Json.parseObject(JsonWriter.pretty(RuntimeSpecBuilder.build(c, files, "img", caller)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> linux(Map<String, Object> spec) {
        return (Map<String, Object>) spec.get("linux");
    }

    private static Map<String, Object> mapping(long container, long host, long size) {
        return Map.of("containerID", container, "hostID", host, "size", size);
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

    /**
     * fails on fbadc0c: an unprivileged caller's config had no user namespace, so it could not run rootless.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anUnprivilegedCallersConfigRunsRootlessAsTheCaller() {
        Map<String, Object> spec = build("{\"Cmd\":[\"sh\"]}", ALICE);
        Map<String, Object> linux = linux(spec);
        assertEquals(
                List.of(
                        Map.of("type", "pid"),
                        Map.of("type", "ipc"),
                        Map.of("type", "uts"),
                        Map.of("type", "mount"),
                        Map.of("type", "user")),
                linux.get("namespaces"),
                "no network namespace: the host's, as runc spec --rootless and Singularity for a user");
        // root inside is the caller: one mapping, written without newuidmap, whatever ranges the caller has
        assertEquals(List.of(mapping(0, 1001, 1)), linux.get("uidMappings"));
        assertEquals(List.of(mapping(0, 1002, 1)), linux.get("gidMappings"));
        assertFalse(linux.containsKey("resources"), "no cgroup limits");
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) spec.get("mounts");
        assertEquals(
                Map.of(
                        "destination",
                        "/sys",
                        "type",
                        "none",
                        "source",
                        "/sys",
                        "options",
                        List.of("rbind", "nosuid", "noexec", "nodev", "ro")),
                mounts.stream()
                        .filter(m -> m.get("destination").equals("/sys"))
                        .findFirst()
                        .orElseThrow());
        assertTrue(
                mounts.stream()
                        .flatMap(m -> ((List<String>) m.getOrDefault("options", List.of())).stream())
                        .noneMatch(o -> o.startsWith("gid=") || o.startsWith("uid=")),
                "no uid=/gid= options, which need ids the namespace may not have");
        assertEquals(Map.of("uid", 0L, "gid", 0L), process(spec).get("user"));
        assertEquals(Map.of("path", "rootfs", "readonly", false), spec.get("root"));
        assertEquals(
                RuntimeSpecBuilder.CAPABILITIES,
                ((Map<String, Object>) process(spec).get("capabilities")).get("bounding"));
        assertEquals(build("{\"Cmd\":[\"sh\"]}", WITHOUT_RANGES).get("linux"), linux, "ranges are not needed");
    }

    /** fails on fbadc0c: no user namespace at all (see above). */
    @Test
    void anImageUserOtherThanRootIsMappedFromTheCallersSubordinateRanges() {
        files.with("/etc/passwd", "nobody:x:65534:65534::/:/bin/false\napp:x:70000:70000::/:/bin/sh\n");
        Map<String, Object> linux = linux(build("{\"User\":\"nobody\"}", ALICE));
        assertEquals(List.of(mapping(0, 1001, 1), mapping(1, 100000, 65536)), linux.get("uidMappings"));
        assertEquals(List.of(mapping(0, 1002, 1), mapping(1, 300000, 65536)), linux.get("gidMappings"));
        assertEquals(
                List.of(mapping(0, 1002, 1)),
                linux(build("{\"User\":\"0:0\"}", ALICE)).get("gidMappings"),
                "each of uid and gid takes a range only when it needs one");

        JruncException none = assertThrows(JruncException.class, () -> build("{\"User\":\"nobody\"}", WITHOUT_RANGES));
        assertEquals(
                "img: User \"nobody\" runs as uid 65534, which an unprivileged user can map only from a subordinate"
                        + " range, and /etc/subuid has none for bob",
                none.getMessage());
        JruncException beyond = assertThrows(JruncException.class, () -> build("{\"User\":\"app\"}", ALICE));
        assertEquals(
                "img: User \"app\" runs as uid 70000, beyond the range /etc/subuid 100000:65536 of alice (container"
                        + " uids 1 to 65536)",
                beyond.getMessage());
    }
}
