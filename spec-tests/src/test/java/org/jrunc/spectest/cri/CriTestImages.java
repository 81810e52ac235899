package org.jrunc.spectest.cri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.spectest.Bundle;
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
 * from the spec-tests' busybox rootfs with what each spec reads from them: busybox's users and groups, the USER of the
 * image-user images, a user with a group defined in the image, an "nginx" whose pid file, process name and "master
 * process" command line the namespace specs look for (busybox httpd serves), an "httpd" that logs its name, a setuid
 * root binary that prints its effective uid (nonewprivs), and one file per tag where tags must differ. Upstream's
 * {@code test-image-digest@sha256:9700f9a2...} cannot be rebuilt with that digest, so it is not pushed: its spec fails
 * for every runtime. Repositories keep upstream's paths; containerd's mirrors send registry.k8s.io and gcr.io here.
 */
final class CriTestImages {
    /** The sandbox ("pause") image containerd starts for every pod: a process that sleeps until killed. */
    static final String PAUSE = "registry.k8s.io/pause:3.6";

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
        Layer rootfs = Layer.ofDirectory(LayerCompression.GZIP, Bundle.rootfsTemplate());
        Layer users = Layer.of(
                LayerCompression.GZIP,
                LayerEntry.file("etc/passwd", PASSWD),
                LayerEntry.file("etc/group", GROUP),
                LayerEntry.directory("www"),
                LayerEntry.file("www/index.html", "<h1>Welcome to nginx!</h1>\n"),
                LayerEntry.directory("var/run"));
        Image busybox = Image.of(rootfs, users).withCmd("sh");

        List<Tagged> out = new ArrayList<>();
        out.add(new Tagged("pause", "3.6", busybox.withCmd("sleep", "2147483647")));
        out.add(new Tagged(E2E + "busybox", "1.29-2", busybox));
        out.add(new Tagged(E2E + "nginx", "1.14-2", nginx(rootfs, users, "80")));
        out.add(new Tagged(CRI_TOOLS + "hostnet-nginx-amd64", "latest", nginx(rootfs, users, "12003")));
        out.add(new Tagged(
                E2E + "httpd",
                "2.4.39-4",
                busybox.withCmd("sh", "-c", "echo httpd listening on 80; exec httpd -f -p 80 -h /www")));
        out.add(new Tagged(E2E + "nonewprivs", "1.3", nonewprivs(rootfs, users, dir)));
        for (Map.Entry<String, String> user : Map.of(
                        "test-image-user-uid", "1002",
                        "test-image-user-username", "www-data",
                        "test-image-user-uid-group", "1003:1004",
                        "test-image-user-username-group", "www-data:1004")
                .entrySet()) {
            out.add(new Tagged(CRI_TOOLS + user.getKey(), "latest", busybox.withUser(user.getValue())));
        }
        out.add(new Tagged(CRI_TOOLS + "test-image-predefined-group", "latest", predefinedGroup(rootfs, users)));
        for (String name : List.of("test-image-1", "test-image-2", "test-image-3", "test-image-latest")) {
            out.add(new Tagged(CRI_TOOLS + name, "latest", marked(rootfs, users, name)));
        }
        Image same = marked(rootfs, users, "same-image");
        for (String tag : List.of("1", "2", "3")) {
            out.add(new Tagged(CRI_TOOLS + "test-image-tags", tag, same));
        }
        for (String tag : List.of("test", "all")) {
            out.add(new Tagged(CRI_TOOLS + "test-image-tag", tag, marked(rootfs, users, tag)));
        }
        return out;
    }

    /** As cri-tools' images/image-test: busybox plus an empty file named after the image, so each digest differs. */
    private static Image marked(Layer rootfs, Layer users, String name) {
        return Image.of(rootfs, users, Layer.of(LayerCompression.GZIP, LayerEntry.file(name, "")))
                .withCmd("sh");
    }

    /**
     * busybox httpd in nginx's clothes: the pid file at /var/run/nginx.pid, "nginx" as the process name (a copy of
     * busybox named so, which takes the applet from argv[1] because argv[0] starts with "busybox"), and nginx's
     * "master process" in its command line.
     */
    private static Image nginx(Layer rootfs, Layer users, String port) {
        Layer binary = Layer.of(
                LayerCompression.GZIP,
                LayerEntry.file("usr/sbin/nginx", busyboxBytes()).withMode(0755));
        return Image.of(rootfs, users, binary)
                .withCmd(
                        "sh",
                        "-c",
                        "echo $$ > /var/run/nginx.pid; exec -a 'busybox: nginx: master process nginx -g daemon off;'"
                                + " /usr/sbin/nginx httpd -f -p " + port + " -h /www");
    }

    /** As cri-tools' images/image-predefined-group: user 1000 (default-user), a member of group 50000. */
    private static Image predefinedGroup(Layer rootfs, Layer users) {
        Layer defined = Layer.of(
                LayerCompression.GZIP,
                LayerEntry.file(
                        "etc/passwd", PASSWD + "default-user:x:1000:1000:Linux User,,,:/home/default-user:/bin/sh\n"),
                LayerEntry.file(
                        "etc/group", GROUP + "default-user:x:1000:\ngroup-defined-in-image:x:50000:default-user\n"),
                LayerEntry.directory("home"),
                LayerEntry.directory("home/default-user").withOwner(1000, 1000));
        return Image.of(rootfs, users, defined).withCmd("sh").withUser("1000");
    }

    /**
     * Kubernetes' nonewprivs image: a setuid-root program that prints "Effective uid: N", compiled here (static, so
     * it needs nothing from the busybox rootfs).
     */
    private static Image nonewprivs(Layer rootfs, Layer users, Path dir) throws IOException {
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
        return Image.of(rootfs, users, nnp).withCmd("/usr/local/bin/nnp");
    }

    private static byte[] busyboxBytes() {
        try {
            return Files.readAllBytes(Bundle.rootfsTemplate().resolve("bin/busybox"));
        } catch (IOException e) {
            throw new AssertionError("cannot read the rootfs's busybox", e);
        }
    }
}
