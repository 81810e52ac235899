package org.jrunc.image.source;

import java.nio.file.Path;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.image.registry.ImageReference;

/**
 * Where a pull reads an image from, in the transports' syntax of skopeo and Singularity: {@code docker://REF},
 * {@code oci:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]} and {@code docker-archive:FILE}. As in containers/image, the
 * path ends at its first colon.
 */
public sealed interface ImageSource {
    /** How the source is written, also the name the cache records it under. */
    String text();

    /** Singularity's default file name for a pull of this source: NAME_TAG.oci.sif. */
    String defaultFileName();

    record Registry(ImageReference reference) implements ImageSource {
        @Override
        public String text() {
            return "docker://" + reference;
        }

        @Override
        public String defaultFileName() {
            String repository = reference.repository();
            String name = repository.substring(repository.lastIndexOf('/') + 1);
            String tag = reference
                    .tag()
                    .orElseGet(() -> reference
                            .digest()
                            .map(d -> d.algorithm() + "." + d.hex().substring(0, 12))
                            .orElse("latest"));
            return name + "_" + tag + ".oci.sif";
        }
    }

    record OciLayout(Path directory, Optional<String> tag) implements ImageSource {
        @Override
        public String text() {
            return "oci:" + directory + tag.map(t -> ":" + t).orElse("");
        }

        @Override
        public String defaultFileName() {
            return baseName(directory) + "_" + tag.orElse("latest") + ".oci.sif";
        }
    }

    record OciArchive(Path file, Optional<String> tag) implements ImageSource {
        @Override
        public String text() {
            return "oci-archive:" + file + tag.map(t -> ":" + t).orElse("");
        }

        @Override
        public String defaultFileName() {
            return baseName(file) + "_" + tag.orElse("latest") + ".oci.sif";
        }
    }

    record DockerArchive(Path file) implements ImageSource {
        @Override
        public String text() {
            return "docker-archive:" + file;
        }

        @Override
        public String defaultFileName() {
            return baseName(file) + "_latest.oci.sif";
        }
    }

    /** True when {@code text} names a transport, so `mount` knows to pull rather than open a file. */
    static boolean isTransport(String text) {
        return text.startsWith("docker://")
                || text.startsWith("oci:")
                || text.startsWith("oci-archive:")
                || text.startsWith("docker-archive:");
    }

    static ImageSource parse(String text) {
        if (text.startsWith("docker://")) {
            return new Registry(ImageReference.parse(text.substring("docker://".length())));
        }
        if (text.startsWith("oci:")) {
            PathAndTag p = PathAndTag.split(text, "oci:");
            return new OciLayout(p.path(), p.tag());
        }
        if (text.startsWith("oci-archive:")) {
            PathAndTag p = PathAndTag.split(text, "oci-archive:");
            return new OciArchive(p.path(), p.tag());
        }
        if (text.startsWith("docker-archive:")) {
            String path = text.substring("docker-archive:".length());
            if (path.isEmpty() || path.contains(":")) {
                throw new JruncException("\"" + text + "\": give docker-archive:FILE (choosing an image in the"
                        + " archive by name is not supported; the archive must hold exactly one)");
            }
            return new DockerArchive(Path.of(path));
        }
        throw new JruncException("\"" + text + "\" is not an image source: give docker://REF, oci:DIR[:TAG],"
                + " oci-archive:FILE[:TAG] or docker-archive:FILE");
    }

    private static String baseName(Path p) {
        Path name = p.toAbsolutePath().normalize().getFileName();
        String base = name == null ? "image" : name.toString();
        for (String suffix : new String[] {".tar.gz", ".tgz", ".tar"}) {
            if (base.endsWith(suffix) && base.length() > suffix.length()) {
                return base.substring(0, base.length() - suffix.length());
            }
        }
        return base;
    }

    /** A transport's "PATH[:TAG]" part. */
    record PathAndTag(Path path, Optional<String> tag) {
        static PathAndTag split(String text, String prefix) {
            String rest = text.substring(prefix.length());
            int colon = rest.indexOf(':');
            String path = colon < 0 ? rest : rest.substring(0, colon);
            Optional<String> tag = colon < 0 ? Optional.empty() : Optional.of(rest.substring(colon + 1));
            if (path.isEmpty() || tag.map(String::isEmpty).orElse(false)) {
                throw new JruncException("\"" + text + "\": give " + prefix + "PATH[:TAG]");
            }
            return new PathAndTag(Path.of(path), tag);
        }
    }
}
