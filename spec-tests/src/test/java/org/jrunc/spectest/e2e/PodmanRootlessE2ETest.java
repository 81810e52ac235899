package org.jrunc.spectest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.Leftovers;
import org.jrunc.spectest.UnprivilegedUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Podman rootless driving jrunc: the {@link UnprivilegedUser} runs podman, which makes a user namespace from the
 * user's /etc/subuid and /etc/subgid ranges and runs conmon and the OCI runtime inside it, so the runtime is uid 0
 * without the initial namespace's capabilities (and, with cgroupfs on cgroup v1, without cgroups). Every case runs
 * with jrunc and with runc, on the same podman storage, so a failure of jrunc's half is jrunc's and not the host's. At
 * the end no container, process of the user (conmon, fuse-overlayfs, slirp4netns, a container's), host mount,
 * runtime state or file in the user's $XDG_RUNTIME_DIR may remain.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodmanRootlessE2ETest {
    private static final String IMAGE = "localhost/busybox:jrunc-rootless-e2e";
    private static final String LOOP = "while true; do sleep 0.2; done";
    /** TCP over the loopback device: a listener answers "pong" to the first client, which tries for 5 seconds. */
    private static final String LOOPBACK_PONG = "nc -l -p 7777 -e echo pong & s=$!; "
            + "for i in $(seq 50); do nc 127.0.0.1 7777 </dev/null 2>/dev/null && break; sleep 0.1; done; "
            + "kill $s 2>/dev/null; true";

    private UnprivilegedUser user;
    private RootlessPodman podman;
    private Leftovers before;
    private Set<Long> userProcessesBefore;
    private Set<String> runtimeDirBefore;

    @BeforeAll
    void startPodmanAsTheUser() throws Exception {
        for (String tool : List.of("/usr/bin/podman", "/usr/bin/conmon", "/usr/bin/newuidmap", "/usr/bin/newgidmap")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), "podman rootless needs " + tool + ", which is not installed");
        }
        assumeTrue(
                readInt("/proc/sys/user/max_user_namespaces", 1) > 0
                        && readInt("/proc/sys/kernel/unprivileged_userns_clone", 1) != 0,
                "this kernel does not let unprivileged users make user namespaces (user.max_user_namespaces, "
                        + "kernel.unprivileged_userns_clone)");
        user = UnprivilegedUser.get();
        before = Leftovers.take();
        userProcessesBefore = userProcesses();
        runtimeDirBefore = tree(user.runtimeDir);
        // short: podman refuses a runroot of more than 50 characters
        Path dir = Files.createTempDirectory("jrunc-prl");
        BusyboxImage.rootfsTar(dir);
        podman = new RootlessPodman(user, dir);
        System.out.println("podman rootless storage: " + podman.chooseOverlay());
        podman.podman(List.of("import", dir.resolve("rootfs.tar").toString(), IMAGE))
                .ok();
    }

    @AfterAll
    void removeEverythingAndCheckNothingLeft() throws Exception {
        if (podman == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (String c : podman.podman(List.of("ps", "-a", "--format", "{{.Names}}"))
                .out()
                .lines()
                .toList()) {
            problems.add("container left: " + c);
        }
        podman.podman(List.of("rm", "-a", "-f"));
        podman.podman(List.of("rmi", "-a", "-f"));
        // podman's own pause process holds its user namespace between commands; it is podman's, not a leftover
        Long pause = podman.pauseProcess();
        if (pause != null) {
            ProcessHandle.of(pause).ifPresent(ProcessHandle::destroy);
            HostProcesses.awaitExit(pause, 10);
        }
        for (long pid : userProcesses()) {
            if (!userProcessesBefore.contains(pid) && !HostProcesses.awaitExit(pid, 10)) {
                problems.add("process of the user left: " + pid + " " + commandLine(pid));
            }
        }
        for (String p : tree(user.runtimeDir)) {
            // podman makes its directories (libpod, netns, containers, one per runtime) and keeps them, empty
            boolean podmansDirectory =
                    Files.isDirectory(Path.of(p)) && Path.of(p).getParent().equals(user.runtimeDir);
            if (!runtimeDirBefore.contains(p) && !podmansDirectory) {
                problems.add("left in $XDG_RUNTIME_DIR: " + p);
            }
        }
        problems.addAll(Leftovers.diff(before, Leftovers.take()));
        if (problems.isEmpty()) {
            HostProcesses.deleteTree(podman.dir);
        }
        assertEquals(List.of(), problems, "podman rootless left resources behind (files kept in " + podman.dir + ")");
    }

    /** The runtime a case runs with; runc's half says so when runc is not installed. */
    private static Path runtime(String name) {
        if (name.equals("jrunc")) {
            return Jrunc.binary();
        }
        for (String p : List.of("/usr/sbin/runc", "/usr/bin/runc")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        assumeTrue(false, "runc is not installed (/usr/sbin/runc, /usr/bin/runc): nothing to compare jrunc with");
        return null;
    }

    private Jrunc.Result run(Path runtime, String... args) {
        List<String> cmd = new ArrayList<>(List.of("run"));
        cmd.addAll(List.of(args));
        return podman.podman(runtime, cmd.toArray(String[]::new));
    }

    /** fails on fbadc0c: jrunc cannot create its state under /run/jrunc (nor a cgroup) as the user. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jrunc", "runc"})
    void runRmPrintsOutputAndReturnsTheExitStatusInPodmansUserNamespace(String name) {
        Path rt = runtime(name);
        Jrunc.Result r = run(
                rt,
                "--rm",
                "--name",
                "rm-" + name,
                IMAGE,
                "sh",
                "-c",
                "echo hello from " + name + "; id -u; head -1 /proc/self/uid_map; echo to-stderr >&2; exit 5");
        assertEquals(5, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("hello from " + name, lines.get(0), r.out());
        assertEquals("0", lines.get(1), "root in the container: " + r.out());
        assertEquals(
                List.of("0", Integer.toString(user.uid), "1"),
                List.of(lines.get(2).trim().split("\\s+")),
                "the container's root is the user, in podman's user namespace: " + r.out());
        assertTrue(r.err().contains("to-stderr"), r.err());
        assertFalse(containers().contains("rm-" + name), "--rm removed the container");
    }

    /**
     * -t: conmon hands the runtime a console socket in podman's user namespace, and the container's process gets a
     * pty from its own devpts as its controlling terminal. Fails on fbadc0c: the container does not start.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jrunc", "runc"})
    void aTerminalComesThroughConmonsConsoleSocket(String name) {
        Jrunc.Result r = run(runtime(name), "--rm", "-t", IMAGE, "sh", "-c", "tty; test -t 1 && echo is-a-tty; exit 4");
        assertEquals(4, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("/dev/pts/") && r.out().contains("is-a-tty"), r.out());
    }

    /** fails on fbadc0c: the container does not start (state directory, cgroups). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jrunc", "runc"})
    void detachedContainerWithExecStopAndForcedRemoval(String name) throws Exception {
        Path rt = runtime(name);
        String c = "life-" + name;
        run(rt, "-d", "--name", c, IMAGE, "sh", "-c", "trap 'echo got-term; exit 0' TERM; " + LOOP)
                .ok();
        assertEquals("running", podman.inspect(rt, c, "{{.State.Status}}"));
        long pid = Long.parseLong(podman.inspect(rt, c, "{{.State.Pid}}"));
        assertEquals(user.uid, realUid(pid), "the container's root is the user on the host");

        Jrunc.Result exec =
                podman.podman(rt, "exec", c, "sh", "-c", "echo in-exec; id -u; cat /proc/1/cmdline; exit 3");
        assertEquals(3, exec.exit(), exec.err());
        assertTrue(
                exec.out().startsWith("in-exec\n0\n") && exec.out().contains("got-term"),
                "exec runs as root in the container's pid namespace: " + exec.out());

        Jrunc.Result stop = podman.podman(rt, "stop", "-t", "30", c);
        assertEquals(0, stop.exit(), stop.err());
        assertEquals("exited 0", podman.inspect(rt, c, "{{.State.Status}} {{.State.ExitCode}}"));
        assertTrue(podman.podman(rt, "logs", c).ok().out().contains("got-term"), "stop delivered TERM");
        assertTrue(HostProcesses.awaitExit(pid, 20), "the container's processes are gone after stop");
        podman.podman(rt, "rm", c).ok();

        String forced = "forced-" + name;
        run(rt, "-d", "--name", forced, IMAGE, "sh", "-c", LOOP).ok();
        long forcedPid = Long.parseLong(podman.inspect(rt, forced, "{{.State.Pid}}"));
        podman.podman(rt, "rm", "-f", forced).ok();
        assertTrue(HostProcesses.awaitExit(forcedPid, 20), "rm -f killed the container");
        assertFalse(containers().contains(forced), "rm -f removed the container");
    }

    /** fails on fbadc0c: the container does not start; with that fixed, lo stays down in the new namespace. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jrunc", "runc"})
    void networkNoneHasAWorkingLoopbackOnly(String name) {
        Path rt = runtime(name);
        Jrunc.Result r = run(rt, "--rm", "--network", "none", IMAGE, "sh", "-c", "ls /sys/class/net; " + LOOPBACK_PONG);
        assertEquals(0, r.exit(), r.err());
        assertEquals("lo\npong\n", r.out(), "only lo, and it is up");
    }

    /** fails on fbadc0c: the container does not start. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jrunc", "runc"})
    void slirp4netnsGivesATapDeviceWithItsAddressAndRoute(String name) {
        Path rt = runtime(name);
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/slirp4netns")),
                "slirp4netns is not installed (scripts/setup-host.sh installs it)");
        Jrunc.Result r = run(
                rt,
                "--rm",
                "--network",
                "slirp4netns",
                IMAGE,
                "sh",
                "-c",
                "ls /sys/class/net; ip -o -4 addr show tap0; ip route; " + LOOPBACK_PONG);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("lo\ntap0\n"), r.out());
        assertTrue(r.out().contains("inet 10.0.2.100/24"), "slirp4netns's address: " + r.out());
        assertTrue(r.out().contains("default via 10.0.2.2 dev tap0"), "slirp4netns's route: " + r.out());
        assertTrue(r.out().endsWith("pong\n"), "loopback works: " + r.out());
    }

    private List<String> containers() {
        return podman.podman(List.of("ps", "-a", "--format", "{{.Names}}"))
                .ok()
                .out()
                .lines()
                .toList();
    }

    /** Processes whose real uid is the user's or one of its subordinate ids (a container's non-root users). */
    private Set<Long> userProcesses() throws IOException {
        long[] range = subordinateRange();
        Set<Long> out = new TreeSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String pid = p.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long uid = realUid(Long.parseLong(pid));
                if (uid == user.uid || (uid >= range[0] && uid < range[0] + range[1])) {
                    out.add(Long.parseLong(pid));
                }
            }
        }
        return out;
    }

    /** The user's range in /etc/subuid (useradd may have made one before UnprivilegedUser would). */
    private static long[] subordinateRange() throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/subuid"))) {
            String[] f = line.split(":");
            if (f.length == 3 && f[0].equals(UnprivilegedUser.NAME)) {
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }
        }
        throw new AssertionError("no range of " + UnprivilegedUser.NAME + " in /etc/subuid");
    }

    private static long realUid(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            // exited meanwhile
        }
        return -1;
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "(exited)";
        }
    }

    /** Every path under {@code dir}, deepest included. */
    private static Set<String> tree(Path dir) throws IOException {
        Set<String> out = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> !p.equals(dir)).forEach(p -> out.add(p.toString()));
            }
        }
        return out;
    }

    private static int readInt(String file, int absent) throws IOException {
        Path p = Path.of(file);
        return Files.exists(p) ? Integer.parseInt(Files.readString(p).trim()) : absent;
    }
}
