package org.jrunc.spectest.cri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.image.Image;
import org.jrunc.spectest.image.Layer;
import org.jrunc.spectest.image.LayerCompression;
import org.jrunc.spectest.image.LayerEntry;
import org.jrunc.spectest.image.OciLayout;
import org.jrunc.spectest.image.Skopeo;
import org.jrunc.spectest.image.TestImages;

/**
 * The images critest v1.32.0 pulls (pkg/validate/consts.go, pkg/framework/util.go, images/ of cri-tools), rebuilt
 * from Debian's busybox with what each spec reads from them: busybox's users and groups, applets as hard
 * links (a masked /bin/ls must not mask the shell), pgrep and ipcs, which Debian's busybox lacks, the USER of the
 * image-user images, a user with a group defined in the image, an "nginx" whose pid file, process name and "master
 * process" command line the namespace specs look for (busybox httpd serves), an "httpd" that logs its name, a setuid
 * root binary that prints its effective uid (nonewprivs), and one file per tag where tags must differ. Upstream's
 * {@code test-image-digest@sha256:9700f9a2...} cannot be rebuilt with that digest, so it is not pushed: its spec fails
 * for every runtime. Repositories keep upstream's paths; containerd's mirrors send registry.k8s.io and gcr.io here.
 */
final class CriTestImages {
    /** The sandbox ("pause") image containerd starts for every pod: a process that sleeps until killed. */
    static final String PAUSE = "registry.k8s.io/pause:3.6";

    /** Debian's dynamic busybox, unpacked by scripts/setup-host.sh (it conflicts with busybox-static). */
    static final Path BUSYBOX = Path.of("/var/cache/jrunc-ci/busybox-dynamic/bin/busybox");

    private static final String E2E = "e2e-test-images/";
    private static final String CRI_TOOLS = "k8s-staging-cri-tools/";

    private static final String PASSWD = String.join(
            "\n",
            "root:x:0:0:root:/root:/bin/sh",
            "daemon:x:1:1:daemon:/usr/sbin:/bin/false",
            "bin:x:2:2:bin:/bin:/bin/false",
            "sys:x:3:3:sys:/dev:/bin/false",
            "sync:x:4:100:sync:/bin:/bin/sync",
            "mail:x:8:8:mail:/var/spool/mail:/bin/false",
            "www-data:x:33:33:www-data:/var/www:/bin/false",
            "operator:x:37:37:Operator:/var:/bin/false",
            "nobody:x:65534:65534:nobody:/home:/bin/false",
            "");
    private static final String GROUP = String.join(
            "\n",
            "root:x:0:",
            "daemon:x:1:",
            "bin:x:2:",
            "sys:x:3:",
            "adm:x:4:",
            "tty:x:5:",
            "disk:x:6:",
            "wheel:x:10:root",
            "www-data:x:33:",
            "operator:x:37:",
            "users:x:100:",
            "nogroup:x:65534:",
            "");

    /** pgrep PATTERN: the pids whose process name matches, as procps' pgrep prints them; 1 when none. */
    private static final String PGREP = String.join(
            "\n",
            "#!/bin/sh",
            "found=1",
            "for d in /proc/[0-9]*; do",
            "  pid=${d#/proc/}",
            "  [ \"$pid\" = $$ ] && continue",
            "  comm=$(cat $d/comm 2>/dev/null) || continue",
            "  if echo \"$comm\" | grep -q -- \"$1\"; then echo $pid; found=0; fi",
            "done",
            "exit $found",
            "");

    /** ipcs [-m]: the shared memory segments of the IPC namespace, as util-linux's ipcs -m lists them. */
    private static final String IPCS = String.join(
            "\n",
            "#!/bin/sh",
            "echo '------ Shared Memory Segments --------'",
            "echo 'key        shmid      owner      perms      bytes      nattch     status'",
            "tail -n +2 /proc/sysvipc/shm | while read key shmid perms size cpid lpid nattch uid rest; do",
            "  printf '%-10s %-10s %-10s %-10s %-10s %-10s\\n' \"$key\" \"$shmid\" \"$uid\" \"$perms\" \"$size\" \"$nattch\"",
            "done",
            "");

    /** One repository:tag and the image it names, pushed as {@code REGISTRY/PATH:TAG}. */
    record Tagged(String path, String tag, Image image) {}

    private CriTestImages() {}

    /** Builds every image under {@code dir} and pushes it to the registry from inside {@code netns}. */
    static void push(NetworkNamespace netns, Path dir) throws IOException {
        List<Tagged> all = all(dir);
        for (int i = 0; i < all.size(); i++) {
            Tagged t = all.get(i);
            OciLayout layout = TestImages.writeLayout(dir.resolve("layout-" + i), t.tag(), t.image());
            netns.runOk(Skopeo.pushCommand(layout, CriRegistry.reference(t.path(), t.tag()), Optional.empty()));
        }
    }

    private static List<Tagged> all(Path dir) throws IOException {
        Layer rootfs = busyboxRootfs();
        Image busybox = Image.of(rootfs).withCmd("sh");

        List<Tagged> out = new ArrayList<>();
        out.add(new Tagged("pause", "3.6", pause(rootfs)));
        out.add(new Tagged(E2E + "busybox", "1.29-2", busybox));
        out.add(new Tagged(E2E + "nginx", "1.14-2", nginx(rootfs, "80")));
        out.add(new Tagged(CRI_TOOLS + "hostnet-nginx-amd64", "latest", nginx(rootfs, "12003")));
        out.add(new Tagged(
                E2E + "httpd",
                "2.4.39-4",
                busybox.withCmd("sh", "-c", "echo httpd listening on 80; exec httpd -f -p 80 -h /www")));
        out.add(new Tagged(E2E + "nonewprivs", "1.3", nonewprivs(rootfs, dir)));
        for (Map.Entry<String, String> user : Map.of(
                        "test-image-user-uid", "1002",
                        "test-image-user-username", "www-data",
                        "test-image-user-uid-group", "1003:1004",
                        "test-image-user-username-group", "www-data:1004")
                .entrySet()) {
            out.add(new Tagged(CRI_TOOLS + user.getKey(), "latest", busybox.withUser(user.getValue())));
        }
        out.add(new Tagged(CRI_TOOLS + "test-image-predefined-group", "latest", predefinedGroup(rootfs)));
        for (String name : List.of("test-image-1", "test-image-2", "test-image-3", "test-image-latest")) {
            out.add(new Tagged(CRI_TOOLS + name, "latest", marked(rootfs, name)));
        }
        Image same = marked(rootfs, "same-image");
        for (String tag : List.of("1", "2", "3")) {
            out.add(new Tagged(CRI_TOOLS + "test-image-tags", tag, same));
        }
        for (String tag : List.of("test", "all")) {
            out.add(new Tagged(CRI_TOOLS + "test-image-tag", tag, marked(rootfs, tag)));
        }
        return out;
    }

    /**
     * busybox's tree: Debian's dynamic busybox with the libraries it links (its shell looks commands up in PATH, as
     * the busybox image's does; busybox-static's runs its own applets first, so a masked /bin/ls would still run), a
     * hard link per applet (as in the busybox image, where masking one applet's path leaves the others alone),
     * busybox's users and groups, a page for the web servers to serve, and pgrep and ipcs as scripts over /proc.
     */
    private static Layer busyboxRootfs() throws IOException {
        List<LayerEntry> entries = new ArrayList<>();
        for (String d : List.of(
                "bin",
                "sbin",
                "etc",
                "proc",
                "sys",
                "dev",
                "root",
                "var",
                "var/run",
                "usr",
                "usr/bin",
                "usr/sbin",
                "www",
                "lib",
                "lib/x86_64-linux-gnu",
                "lib64")) {
            entries.add(LayerEntry.directory(d));
        }
        entries.add(LayerEntry.directory("tmp").withMode(01777));
        entries.add(LayerEntry.file("bin/busybox", Files.readAllBytes(BUSYBOX)).withMode(0755));
        for (String library : linkedLibraries()) {
            entries.add(LayerEntry.file(library.substring(1), Files.readAllBytes(Path.of(library)))
                    .withMode(0755));
        }
        Set<String> scripts = Set.of("pgrep", "ipcs");
        // with busybox's mode in each link's header, as docker writes it: containerd chmods the linked inode to the
        // header's mode when it can stat the link name from its own directory
        busybox("--list")
                .out()
                .lines()
                .filter(name -> !name.equals("busybox") && !scripts.contains(name))
                .sorted()
                .forEach(name -> entries.add(
                        LayerEntry.hardLink("bin/" + name, "bin/busybox").withMode(0755)));
        entries.add(LayerEntry.file("bin/pgrep", PGREP).withMode(0755));
        entries.add(LayerEntry.file("bin/ipcs", IPCS).withMode(0755));
        entries.add(LayerEntry.file("etc/passwd", PASSWD));
        entries.add(LayerEntry.file("etc/group", GROUP));
        entries.add(LayerEntry.file("www/index.html", "<h1>Welcome to nginx!</h1>\n"));
        return Layer.of(LayerCompression.GZIP, entries.toArray(LayerEntry[]::new));
    }

    /** The absolute paths ldd names for busybox (libc, libresolv, the dynamic loader), under /lib and /lib64. */
    private static List<String> linkedLibraries() {
        Jrunc.Result ldd = Jrunc.raw(List.of("ldd", BUSYBOX.toString()), Map.of(), null, 30);
        if (ldd.exit() != 0) {
            throw new AssertionError("ldd " + BUSYBOX + " failed: " + ldd.err());
        }
        List<String> out = new ArrayList<>();
        for (String line : ldd.out().lines().toList()) {
            for (String word : line.trim().split("\\s+")) {
                if (word.startsWith("/lib/x86_64-linux-gnu/") || word.startsWith("/lib64/")) {
                    out.add(word);
                }
            }
        }
        return out;
    }

    private static Jrunc.Result busybox(String... args) {
        List<String> cmd = new ArrayList<>(List.of(BUSYBOX.toString()));
        cmd.addAll(List.of(args));
        Jrunc.Result r = Jrunc.raw(cmd, Map.of(), null, 30);
        if (r.exit() != 0) {
            throw new AssertionError(cmd + " failed: " + r.err());
        }
        return r;
    }

    /** As cri-tools' images/image-test: busybox plus an empty file named after the image, so each digest differs. */
    private static Image marked(Layer rootfs, String name) {
        return Image.of(rootfs, Layer.of(LayerCompression.GZIP, LayerEntry.file(name, "")))
                .withCmd("sh");
    }

    /**
     * A process named "pause" that sleeps until killed (a busybox named so, which takes the applet from argv[1]
     * because argv[0] starts with "busybox"): pods share its PID namespace, and specs look for their own processes
     * by name there, "sleep" among them.
     */
    private static Image pause(Layer rootfs) throws IOException {
        Layer binary = Layer.of(
                LayerCompression.GZIP, LayerEntry.file("pause", busyboxBytes()).withMode(0755));
        return Image.of(rootfs, binary).withCmd("sh", "-c", "exec -a busybox /pause sleep 2147483647");
    }

    /**
     * busybox httpd in nginx's clothes: the pid file at /var/run/nginx.pid, "nginx" as the process name (a copy of
     * busybox named so, which takes the applet from argv[1] because argv[0] starts with "busybox"), and nginx's
     * "master process" in its command line.
     */
    private static Image nginx(Layer rootfs, String port) throws IOException {
        Layer binary = Layer.of(
                LayerCompression.GZIP,
                LayerEntry.file("usr/sbin/nginx", busyboxBytes()).withMode(0755));
        return Image.of(rootfs, binary)
                .withCmd(
                        "sh",
                        "-c",
                        "echo $$ > /var/run/nginx.pid; exec -a 'busybox: nginx: master process nginx -g daemon off;'"
                                + " /usr/sbin/nginx httpd -f -p " + port + " -h /www");
    }

    /** As cri-tools' images/image-predefined-group: user 1000 (default-user), a member of group 50000. */
    private static Image predefinedGroup(Layer rootfs) {
        Layer defined = Layer.of(
                LayerCompression.GZIP,
                LayerEntry.file(
                        "etc/passwd", PASSWD + "default-user:x:1000:1000:Linux User,,,:/home/default-user:/bin/sh\n"),
                LayerEntry.file(
                        "etc/group", GROUP + "default-user:x:1000:\ngroup-defined-in-image:x:50000:default-user\n"),
                LayerEntry.directory("home"),
                LayerEntry.directory("home/default-user").withOwner(1000, 1000));
        return Image.of(rootfs, defined).withCmd("sh").withUser("1000");
    }

    /**
     * Kubernetes' nonewprivs image: a setuid-root program that prints "Effective uid: N", compiled here (static, so
     * it needs nothing from the busybox rootfs).
     */
    private static Image nonewprivs(Layer rootfs, Path dir) throws IOException {
        Path source = dir.resolve("nnp.c");
        Path binary = dir.resolve("nnp");
        Files.writeString(
                source,
                "#include <stdio.h>\n#include <unistd.h>\n"
                        + "int main(void) { printf(\"Effective uid: %d\\n\", geteuid()); return 0; }\n");
        Jrunc.Result cc = Jrunc.raw(
                List.of("gcc", "-static", "-O2", "-o", binary.toString(), source.toString()), Map.of(), null, 120);
        if (cc.exit() != 0) {
            throw new AssertionError("gcc -static of " + source + " failed: " + cc.err());
        }
        Layer nnp = Layer.of(
                LayerCompression.GZIP,
                LayerEntry.directory("usr/local"),
                LayerEntry.directory("usr/local/bin"),
                LayerEntry.file("usr/local/bin/nnp", Files.readAllBytes(binary)).withMode(04755));
        return Image.of(rootfs, nnp).withCmd("/usr/local/bin/nnp");
    }

    private static byte[] busyboxBytes() throws IOException {
        return Files.readAllBytes(BUSYBOX);
    }
}
