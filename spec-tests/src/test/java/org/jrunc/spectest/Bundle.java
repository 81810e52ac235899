package org.jrunc.spectest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A test bundle: a copy of a busybox rootfs and a config.json to edit, starting from bundles/busybox/config.json
 * with the process replaced. The rootfs template is built once per test run with scripts/make-rootfs.sh.
 */
public final class Bundle {
    static final ObjectMapper JSON = new ObjectMapper();
    private static Path template;

    public final Path dir;
    public final ObjectNode config;

    private Bundle(Path dir, ObjectNode config) {
        this.dir = dir;
        this.config = config;
    }

    public static synchronized Path rootfsTemplate() {
        if (template == null) {
            Path t = Jrunc.home().resolve("target/spec-rootfs");
            if (!Files.isExecutable(t.resolve("bin/busybox"))) {
                Jrunc.Result r = Jrunc.raw(
                        List.of(Jrunc.home().resolve("scripts/make-rootfs.sh").toString(), t.toString()),
                        Map.of(),
                        null,
                        120);
                if (r.exit() != 0) {
                    throw new AssertionError("make-rootfs failed: " + r.err());
                }
            }
            template = t;
        }
        return template;
    }

    /** A new bundle under {@code parent} (made 0755 so a user-namespaced init can reach it) running {@code args}. */
    public static Bundle create(Path parent, String... args) {
        try {
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path dir = Files.createTempDirectory(parent, "bundle");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Jrunc.Result r = Jrunc.raw(
                    List.of(
                            "cp",
                            "-a",
                            rootfsTemplate().toString(),
                            dir.resolve("rootfs").toString()),
                    Map.of(),
                    null,
                    60);
            if (r.exit() != 0) {
                throw new AssertionError("cp failed: " + r.err());
            }
            ObjectNode config = (ObjectNode) JSON.readTree(
                    Jrunc.home().resolve("bundles/busybox/config.json").toFile());
            Bundle b = new Bundle(dir, config);
            b.args(args);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Bundle args(String... args) {
        ArrayNode a = process().putArray("args");
        for (String s : args) {
            a.add(s);
        }
        return this;
    }

    /** A shell command line as the process. */
    public Bundle sh(String script) {
        return args("sh", "-c", script);
    }

    /** root.readonly false: the container may write files the test reads from {@link #rootfs()}. */
    public Bundle writableRootfs() {
        ((ObjectNode) config.get("root")).put("readonly", false);
        return this;
    }

    public ObjectNode process() {
        return (ObjectNode) config.get("process");
    }

    public ObjectNode linux() {
        return (ObjectNode) config.get("linux");
    }

    public ArrayNode mounts() {
        return (ArrayNode) config.get("mounts");
    }

    public ArrayNode namespaces() {
        return (ArrayNode) linux().get("namespaces");
    }

    public Bundle withoutNamespace(String type) {
        ArrayNode ns = namespaces();
        for (int i = ns.size() - 1; i >= 0; i--) {
            if (ns.get(i).get("type").asText().equals(type)) {
                ns.remove(i);
            }
        }
        return this;
    }

    /** A new user namespace whose container ids 0 to size-1 are host ids hostId and up, for uids and gids alike. */
    public Bundle withUserNamespace(long hostId, long size) {
        withNamespace("user", null);
        for (String field : List.of("uidMappings", "gidMappings")) {
            linux().putArray(field)
                    .addObject()
                    .put("containerID", 0)
                    .put("hostID", hostId)
                    .put("size", size);
        }
        return this;
    }

    public Bundle withNamespace(String type, String path) {
        withoutNamespace(type);
        ObjectNode n = namespaces().addObject().put("type", type);
        if (path != null) {
            n.put("path", path);
        }
        return this;
    }

    public Path rootfs() {
        return dir.resolve("rootfs");
    }

    /** Writes config.json and returns the bundle directory. */
    public Path write() {
        try {
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(dir.resolve("config.json").toFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
