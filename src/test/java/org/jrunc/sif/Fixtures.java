package org.jrunc.sif;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The shared SIF fixtures (see their README.md). The base directory is {@code /work/shared/fixtures/sif} unless
 * the system property {@code jrunc.fixtures} names another; tests are skipped when a fixture is absent.
 */
final class Fixtures {
    private Fixtures() {}

    static final String EMPTY = "sylabs-sif/empty.sif";
    static final String EMPTY_LAUNCH_SCRIPT = "sylabs-sif/empty-launch-script.sif";
    static final String ONE_GROUP = "sylabs-sif/one-group.sif";
    static final String TWO_GROUPS = "sylabs-sif/two-groups.sif";
    static final String SIGNED_DSSE = "sylabs-sif/one-group-signed-dsse.sif";
    static final String SIGNED_PGP = "sylabs-sif/one-group-signed-pgp.sif";
    static final String GENERIC_JSON = "sylabs-sif/one-object-generic-json.sif";
    static final String SBOM = "sylabs-sif/one-object-sbom.sif";
    static final String OCI_ROOT_INDEX = "sylabs-sif/one-object-oci-root-index.sif";
    static final String OCI_BLOB = "sylabs-sif/one-object-oci-blob.sif";
    static final String ROOT_SQUASHFS = "sylabs-sif/input-root.squashfs";
    static final String INPUT_INDEX = "sylabs-sif/input-index.json";
    static final String INPUT_OCI_CONFIG = "sylabs-sif/input-oci-config.json";
    static final String BUSYBOX = "sylabs-singularity/busybox_amd64.sif";
    static final String ONE_GROUP_SINGULARITY = "sylabs-singularity/one-group-singularity.sif";
    static final String EMPTY_OCI = "sylabs-singularity/empty.oci.sif";
    static final String BARE_SQUASHFS = "sylabs-singularity/squashfs-for-overlay.img";
    static final String DOCKER_MANIFEST = "sylabs-oci-tools/TestWrite-DockerManifest.oci.sif";
    static final String IMAGE_WITH_REFERENCE = "sylabs-oci-tools/TestSIFWrite-ImageWithReference.oci.sif";
    static final String DOCKER_MANIFEST_LIST = "sylabs-oci-tools/TestWrite-DockerManifestList.oci.sif";
    static final String OVERLAYFS_LAYOUT = "sylabs-oci-tools/oci-layout-overlayfs-docker-v2-manifest";

    static Path base() {
        return Paths.get(System.getProperty("jrunc.fixtures", "/work/shared/fixtures/sif"));
    }

    static Path path(String relative) {
        Path p = base().resolve(relative);
        assumeTrue(Files.exists(p), "fixture not available: " + p);
        return p;
    }

    static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A writable copy in {@code dir} (the fixtures are read-only). */
    static Path copy(String relative, Path dir) {
        try {
            Path target = dir.resolve(path(relative).getFileName());
            Files.write(target, bytes(relative));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
