package org.jrunc.spectest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The unprivileged user the rootless spec-tests run jrunc as, made by the tests themselves (CI runs as root): a login
 * user {@value #NAME} with ranges in /etc/subuid and /etc/subgid ({@link #SUBORDINATE_START}, {@link
 * #SUBORDINATE_COUNT} ids), and a runtime directory /run/user/UID owned by it, as logind would make. Commands run
 * through setpriv(1) with the user's ids, groups and an environment of its own (HOME, XDG_RUNTIME_DIR, PATH), and
 * no inheritable capability; the bounding set stays whole, as in a login session, so that setuid newuidmap works.
 */
public final class UnprivilegedUser {
    public static final String NAME = "jrunc-rl";
    public static final long SUBORDINATE_START = 200000;
    public static final long SUBORDINATE_COUNT = 65536;
    private static UnprivilegedUser instance;

    public final int uid;
    public final int gid;
    public final Path home;
    public final Path runtimeDir;

    private UnprivilegedUser(int uid, int gid, Path home, Path runtimeDir) {
        this.uid = uid;
        this.gid = gid;
        this.home = home;
        this.runtimeDir = runtimeDir;
    }

    /** The user, created on first use (and kept: later runs on the same host find it). */
    public static synchronized UnprivilegedUser get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static UnprivilegedUser create() {
        try {
            if (Jrunc.raw(List.of("id", "-u", NAME), Map.of(), null, 10).exit() != 0) {
                Jrunc.Result r =
                        Jrunc.raw(List.of("useradd", "--create-home", "--shell", "/bin/sh", NAME), Map.of(), null, 30);
                if (r.exit() != 0) {
                    throw new AssertionError("useradd " + NAME + ": " + r.err());
                }
            }
            int uid = Integer.parseInt(Jrunc.raw(List.of("id", "-u", NAME), Map.of(), null, 10)
                    .out()
                    .trim());
            int gid = Integer.parseInt(Jrunc.raw(List.of("id", "-g", NAME), Map.of(), null, 10)
                    .out()
                    .trim());
            ensureRange(Path.of("/etc/subuid"));
            ensureRange(Path.of("/etc/subgid"));
            Path home = Path.of(
                    Jrunc.raw(List.of("sh", "-c", "getent passwd " + NAME + " | cut -d: -f6"), Map.of(), null, 10)
                            .out()
                            .trim());
            Path runtimeDir = Path.of("/run/user/" + uid);
            Files.createDirectories(runtimeDir);
            chown(runtimeDir, uid, gid);
            Jrunc.raw(List.of("chmod", "0700", runtimeDir.toString()), Map.of(), null, 10);
            return new UnprivilegedUser(uid, gid, home, runtimeDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NAME:START:COUNT in a subordinate id file, unless the user already has a line there. */
    private static void ensureRange(Path file) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        if (lines.stream().noneMatch(l -> l.startsWith(NAME + ":"))) {
            Files.writeString(
                    file,
                    NAME + ":" + SUBORDINATE_START + ":" + SUBORDINATE_COUNT + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    static void chown(Path p, int uid, int gid) {
        Jrunc.Result r = Jrunc.raw(List.of("chown", "-R", uid + ":" + gid, p.toString()), Map.of(), null, 60);
        if (r.exit() != 0) {
            throw new AssertionError("chown " + p + ": " + r.err());
        }
    }

    /** Gives {@code path} (recursively) to this user, e.g. a bundle or a --root it works in. */
    public Path own(Path path) {
        chown(path, uid, gid);
        return path;
    }

    /** The environment a login session of the user would have. */
    public Map<String, String> environment() {
        return Map.of(
                "HOME",
                home.toString(),
                "USER",
                NAME,
                "LOGNAME",
                NAME,
                "XDG_RUNTIME_DIR",
                runtimeDir.toString(),
                "PATH",
                "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    }

    /** {@code cmd} as this user, with {@link #environment()} plus {@code extraEnv} and nothing of the caller's. */
    public Jrunc.Result run(List<String> cmd, Map<String, String> extraEnv, byte[] stdin, int timeoutSeconds) {
        return Jrunc.raw(commandLine(cmd, extraEnv), Map.of(), stdin, timeoutSeconds);
    }

    /** The command line that runs {@code cmd} as this user (see {@link #run}), for a test that starts it itself. */
    public List<String> commandLine(List<String> cmd, Map<String, String> extraEnv) {
        List<String> full = new ArrayList<>(List.of(
                "setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--inh-caps=-all", "--", "env", "-i"));
        environment().forEach((k, v) -> full.add(k + "=" + v));
        extraEnv.forEach((k, v) -> full.add(k + "=" + v));
        full.addAll(cmd);
        return full;
    }

    /**
     * The first id of the user's range in /etc/subuid or /etc/subgid as the file has it: useradd may have given the
     * user a range of its own before {@link #SUBORDINATE_START} was written (Debian's useradd does, from 100000).
     */
    public long subordinateStart(Path file) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split(":");
                if (f.length == 3 && f[0].equals(NAME)) {
                    return Long.parseLong(f[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError(NAME + " has no range in " + file);
    }

    /** bin/jrunc as this user, with {@code args} after the binary (no --root: the user's default, unless given). */
    public Jrunc.Result jrunc(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Jrunc.binary().toString()));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of(), null, 120);
    }
}
