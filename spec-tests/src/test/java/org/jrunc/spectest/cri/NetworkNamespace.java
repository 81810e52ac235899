package org.jrunc.spectest.cri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jrunc.spectest.Jrunc;

/**
 * A named network namespace of the test's own ({@code ip netns add}) with its loopback up: containerd, its CNI bridge
 * and iptables rules, the registry and critest all live in it, so nothing of theirs reaches the host's network.
 * {@link #close} deletes it; the kernel frees the bridge and the rules with it.
 */
final class NetworkNamespace implements AutoCloseable {
    private static final Path RUN_NETNS = Path.of("/run/netns");

    final String name;
    private final boolean madeRunNetnsMount;

    private NetworkNamespace(String name, boolean madeRunNetnsMount) {
        this.name = name;
        this.madeRunNetnsMount = madeRunNetnsMount;
    }

    /**
     * The first {@code ip netns add} on a host makes /run/netns a shared mount of itself (so the namespaces bound
     * there, containerd's pod namespaces too, propagate); the namespace remembers whether it did, to undo it.
     */
    static NetworkNamespace create(String name) throws IOException {
        boolean wasMount = isMountPoint(RUN_NETNS);
        ip(List.of("netns", "add", name));
        NetworkNamespace ns = new NetworkNamespace(name, !wasMount && isMountPoint(RUN_NETNS));
        ns.runOk(List.of("ip", "link", "set", "lo", "up"));
        return ns;
    }

    /**
     * {@code cmd} run inside this namespace. nsenter enters the network namespace alone: {@code ip netns exec} would
     * also give each command a mount namespace of its own, and critest's mount propagation specs need containerd's
     * mounts and its own in the host's.
     */
    List<String> command(List<String> cmd) {
        List<String> out = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + name, "--"));
        out.addAll(cmd);
        return out;
    }

    Jrunc.Result run(List<String> cmd, int timeoutSeconds) {
        return Jrunc.raw(command(cmd), Map.of(), null, timeoutSeconds);
    }

    Jrunc.Result runOk(List<String> cmd) {
        Jrunc.Result r = run(cmd, 300);
        if (r.exit() != 0) {
            throw new AssertionError(cmd + " in network namespace " + name + " failed: " + r.err() + r.out());
        }
        return r;
    }

    static boolean exists(String name) {
        return Jrunc.raw(List.of("ip", "netns", "list"), Map.of(), null, 30)
                .out()
                .lines()
                .anyMatch(l -> l.split("\\s+")[0].equals(name));
    }

    private static void ip(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(args);
        Jrunc.Result r = Jrunc.raw(cmd, Map.of(), null, 30);
        if (r.exit() != 0) {
            throw new AssertionError(cmd + " failed: " + r.err());
        }
    }

    private static boolean isMountPoint(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(l -> l.split(" ")[4])
                .anyMatch(m -> m.equals(dir.toString()));
    }

    /** Deletes the namespace, and the /run/netns mount when {@link #create} made it and no namespace is left there. */
    @Override
    public void close() throws IOException, InterruptedException {
        ip(List.of("netns", "del", name));
        if (madeRunNetnsMount) {
            try (Stream<Path> left = Files.list(RUN_NETNS)) {
                if (left.findAny().isPresent()) {
                    return;
                }
            }
            // the kernel may still hold the mount busy for a moment after the last namespace file goes
            Jrunc.Result r = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                r = Jrunc.raw(List.of("umount", RUN_NETNS.toString()), Map.of(), null, 30);
                if (r.exit() == 0) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("umount " + RUN_NETNS + " failed: " + r.err());
        }
    }
}
