package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Bad input: one line on stderr naming the file, field or value, a non-zero exit, and nothing left behind. */
class ErrorsTest extends SpecTest {

    private String createFails(Path bundle) throws Exception {
        Jrunc.Result r = jrunc.run("create", "--bundle", bundle.toString(), uniqueId("bad"))
                .fails();
        assertEquals(1, r.exit());
        String err = r.err().trim();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertNothingLeft();
        return err;
    }

    @Test
    void missingBundle() throws Exception {
        String err = createFails(tmp.resolve("no-such-bundle"));
        assertTrue(err.contains("no-such-bundle/config.json"), err);
    }

    @Test
    void configThatIsNotJson() throws Exception {
        Path b = bundle("true").write();
        Files.writeString(b.resolve("config.json"), "{\"ociVersion\": \"1.2.0\", \"process\": ");
        String err = createFails(b);
        assertTrue(err.contains("config.json") && err.contains("invalid JSON"), err);
    }

    @Test
    void fieldOfTheWrongTypeIsNamed() throws Exception {
        Bundle b = bundle("true");
        b.process().put("args", "true");
        String err = createFails(b.write());
        assertTrue(err.contains("config.json") && err.contains("process.args"), err);
    }

    @Test
    void unknownNamespaceTypeIsNamed() throws Exception {
        Bundle b = bundle("true");
        b.namespaces().addObject().put("type", "bogus");
        String err = createFails(b.write());
        assertTrue(err.contains("linux.namespaces[") && err.contains("bogus"), err);
    }

    @Test
    void duplicateNamespaceIsAnError() throws Exception {
        Bundle b = bundle("true");
        b.namespaces().addObject().put("type", "pid");
        String err = createFails(b.write());
        assertTrue(err.contains("duplicate namespace type") && err.contains("pid"), err);
    }

    @Test
    void relativeCwdIsAnError() throws Exception {
        Bundle b = bundle("true");
        b.process().put("cwd", "tmp");
        String err = createFails(b.write());
        assertTrue(err.contains("process.cwd"), err);
    }

    @Test
    void missingExecutableIsACreateTimeError() throws Exception {
        String err = createFails(bundle("/bin/no-such-program").write());
        assertTrue(err.contains("no-such-program"), err);
    }

    @Test
    void unknownCapabilityIsNamed() throws Exception {
        Bundle b = bundle("true");
        ((ArrayNode) b.process().with("capabilities").withArray("bounding")).add("CAP_TEST");
        String err = createFails(b.write());
        assertTrue(err.contains("CAP_TEST") && err.contains("process.capabilities.bounding"), err);
    }

    /**
     * Issue 12: a NUL inside a process.env entry was silently cut there by execve ("A=b\\0c" became "A=b"); a NUL in
     * process.args failed with "Nul character not allowed: true", naming no field; a config without process.cwd ran
     * in "/" although the spec requires cwd and runc refuses it. Each is refused in one line naming the field.
     */
    @Test
    void nulCharactersAndAMissingCwdAreRefusedWithTheFieldNamed() throws Exception {
        Bundle env = bundle("true");
        env.process().putArray("env").add("PATH=/bin").add("A=b\u0000c");
        String err = createFails(env.write());
        assertTrue(err.contains("process.env[1]") && err.contains("NUL"), err);

        Bundle args = bundle("echo", "a\u0000b");
        err = createFails(args.write());
        assertTrue(err.contains("process.args[1]") && err.contains("NUL"), err);

        Bundle cwd = bundle("true");
        cwd.process().remove("cwd");
        err = createFails(cwd.write());
        assertTrue(err.contains("process.cwd") && err.contains("must be set"), err);
    }

    /** Issue 12: the console-socket errors named runc. */
    @Test
    void theConsoleSocketErrorsNameJrunc() throws Exception {
        Bundle b = bundle("true");
        b.process().put("terminal", true);
        String err = createFails(b.write());
        assertTrue(err.contains("cannot allocate tty if jrunc will detach"), err);
    }

    @Test
    void duplicateRlimitIsAnError() throws Exception {
        Bundle b = bundle("true");
        b.process()
                .withArray("rlimits")
                .addObject()
                .put("type", "RLIMIT_NOFILE")
                .put("hard", 10)
                .put("soft", 10);
        String err = createFails(b.write());
        assertTrue(err.contains("duplicate rlimit") && err.contains("RLIMIT_NOFILE"), err);
    }

    /**
     * A limit the kernel refuses (a hard RLIMIT_NOFILE above fs.nr_open fails even with CAP_SYS_RESOURCE) fails
     * `create` in runc's words, which podman maps to its exit status 126; not a container that dies after `start`.
     */
    @Test
    void rlimitTheKernelRefusesFailsCreate() throws Exception {
        long nrOpen = Long.parseLong(
                Files.readAllLines(Path.of("/proc/sys/fs/nr_open")).get(0).trim());
        Bundle b = bundle("true");
        b.process()
                .putArray("rlimits")
                .addObject()
                .put("type", "RLIMIT_NOFILE")
                .put("hard", nrOpen + 64)
                .put("soft", 1024);
        String err = createFails(b.write());
        assertTrue(err.contains("error setting rlimit type 7") && err.contains("operation not permitted"), err);
    }

    @Test
    void intelRdtIsRefusedWithTheReason() throws Exception {
        Bundle b = bundle("true");
        b.linux().putObject("intelRdt").put("closID", "jrunc");
        String err = createFails(b.write());
        assertTrue(err.contains("field linux.intelRdt: Intel RDT is not"), err);
    }

    /**
     * Idmapped mounts the kernel or the config cannot give: a filesystem without idmapping support (sysfs), "idmap"
     * without mappings in a container without a user namespace, mappings on a mount that is not a bind mount.
     * Fails on 17985a3: the first and last were created with the mappings ignored.
     */
    @Test
    void idmappedMountsThatCannotBeAreNamed() throws Exception {
        Bundle sysfs = bundle("true");
        ObjectNode m = sysfs.mounts().addObject().put("destination", "/mnt/k").put("type", "bind");
        m.put("source", "/sys/kernel").putArray("options").add("bind");
        RootfsTest.mapIds(m, 0, 100000, 65536);
        int index = sysfs.mounts().size() - 1;
        String err = createFails(sysfs.write());
        assertTrue(
                err.contains("mounts[" + index + "] /mnt/k")
                        && err.contains("(sysfs) does not support idmapped mounts"),
                err);

        Bundle noUserns = bundle("true");
        noUserns.mounts()
                .addObject()
                .put("destination", "/mnt/k")
                .put("type", "bind")
                .put("source", tmp.toString())
                .putArray("options")
                .add("bind")
                .add("idmap");
        err = createFails(noUserns.write());
        assertTrue(
                err.contains("mounts[" + index + "].options")
                        && err.contains("idmap")
                        && err.contains("user namespace"),
                err);

        Bundle notBind = bundle("true");
        ObjectNode t = notBind.mounts().addObject().put("destination", "/mnt/k").put("type", "tmpfs");
        t.put("source", "tmpfs");
        RootfsTest.mapIds(t, 0, 100000, 65536);
        err = createFails(notBind.write());
        assertTrue(err.contains("mounts[" + index + "]") && err.contains("only supported for bind mounts"), err);
    }

    /**
     * linux.netDevices that cannot be: a device the host does not have (found only after the init exists, which must
     * go), a name the kernel would refuse, a container without a network namespace of its own. Fails on 17985a3:
     * each said "not supported by jrunc yet".
     */
    @Test
    void netDevicesThatCannotBeAreNamed() throws Exception {
        Bundle missing = bundle("true");
        missing.linux().putObject("netDevices").putObject("nosuchdev0");
        String err = createFails(missing.write());
        assertTrue(
                err.contains("linux.netDevices[")
                        && err.contains("nosuchdev0")
                        && err.contains("no such network device"),
                err);

        Bundle badName = bundle("true");
        badName.linux().putObject("netDevices").putObject("lo").put("name", "a/b");
        err = createFails(badName.write());
        assertTrue(err.contains("linux.netDevices[") && err.contains("not a valid network device name"), err);

        Bundle hostNet = bundle("true");
        hostNet.withoutNamespace("network");
        hostNet.linux().putObject("netDevices").putObject("lo");
        err = createFails(hostNet.write());
        assertTrue(err.contains("linux.netDevices: moving network devices needs a network namespace"), err);
    }

    @Test
    void missingRootfsIsNamed() throws Exception {
        Bundle b = bundle("true");
        b.config.with("root").put("path", "nothere");
        String err = createFails(b.write());
        assertTrue(err.contains("root.path") && err.contains("nothere"), err);
    }

    @Test
    void jsonLogGetsTheErrorToo() throws Exception {
        Path log = tmp.resolve("log.json");
        Jrunc.Result r = jrunc.run(
                        "--log",
                        log.toString(),
                        "--log-format",
                        "json",
                        "create",
                        "-b",
                        tmp.resolve("missing").toString(),
                        "x")
                .fails();
        String line = Files.readString(log).trim();
        var entry = Bundle.parse(line);
        assertEquals("error", entry.get("level").asText());
        assertTrue(entry.get("msg").asText().contains("config.json"), line);
        assertTrue(entry.has("time"));
        assertTrue(r.err().contains("config.json"), "also on stderr: " + r.err());
        assertNothingLeft();
    }

    @Test
    void unknownCommandExitsNonZero() {
        Jrunc.Result r = jrunc.run("frobnicate");
        assertTrue(r.exit() != 0);
    }

    /** This project's hosts have no systemd as PID 1 and no system bus; SystemdCgroupTest runs where they are. */
    @Test
    void systemdCgroupWithoutSystemdFailsInOneLine() throws Exception {
        Assumptions.assumeFalse(
                Files.exists(Path.of("/run/dbus/system_bus_socket")), "a system bus: systemd may answer here");
        Jrunc.Result r = jrunc.run(
                        "--systemd-cgroup",
                        "create",
                        "-b",
                        bundle("true").write().toString(),
                        "x")
                .fails();
        assertTrue(r.err().contains("--systemd-cgroup: cannot reach systemd on the system bus"), r.err());
        assertEquals(1, r.err().trim().split("\n").length, r.err());
        assertNothingLeft();
    }
}
