package org.jrunc.image.pull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.cache.StagedFile;
import org.jrunc.image.source.ResolvedImage;
import org.jrunc.image.squash.LayerBlob;
import org.jrunc.image.squash.LayerSquasher;
import org.jrunc.image.squash.SquashOptions;
import org.jrunc.image.squash.SquashfsBuilder;
import org.jrunc.log.Trace;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciMediaTypes;
import org.jrunc.sif.OciSifWriter;
import org.jrunc.sif.SifDescriptor;

/**
 * Builds the OCI-SIF of a fetched image, as `singularity pull --oci` does: the layers squashed into one squashfs
 * layer, then that layer, the rewritten config, the manifest and the root index written into a deterministic SIF
 * with 8 spare descriptor slots (for signatures and overlays), which the cache keeps under the source manifest's
 * digest.
 */
final class OciSifAssembly {
    /** Singularity leaves this many free descriptors in a pulled OCI-SIF. */
    static final int SPARE_DESCRIPTORS = 8;

    private OciSifAssembly() {}

    static Path build(
            ImageCache cache,
            ResolvedImage image,
            String where,
            Path configFile,
            List<Path> layerFiles,
            SquashOptions options) {
        List<LayerBlob> layers = new ArrayList<>();
        for (int i = 0; i < layerFiles.size(); i++) {
            OciDescriptor d = image.manifest().layers().get(i);
            layers.add(new LayerBlob(layerFiles.get(i), d.mediaType(), d.digest()));
        }
        byte[] sourceConfig = read(configFile);
        try (StagedFile squashfs = cache.stage("squashfs");
                StagedFile sif = cache.stage("oci-sif")) {
            SquashfsBuilder.build(tar -> LayerSquasher.squash(layers, options, tar), squashfs.path());
            Trace.mark("pull", "squashed");
            try (OciSifWriter.ImageWriter writer = OciSifWriter.image(sif.path(), 3, SPARE_DESCRIPTORS)) {
                OciDescriptor layer = describe(OciMediaTypes.SQUASHFS_LAYER, writer.add(squashfs.path()));
                squashfs.close();
                byte[] config = SquashedImageDocuments.config(
                        sourceConfig, where, layer.digest(), image.manifest().layers());
                OciDescriptor configDescriptor = describe(OciMediaTypes.OCI_CONFIG, writer.add(config));
                byte[] manifest = SquashedImageDocuments.manifest(configDescriptor, layer);
                OciDescriptor manifestDescriptor = describe(OciMediaTypes.OCI_MANIFEST, writer.add(manifest));
                writer.finish(SquashedImageDocuments.rootIndex(manifestDescriptor));
            }
            Trace.mark("pull", "written");
            return cache.commitOciSif(sif, image.manifestDescriptor().digest());
        }
    }

    private static OciDescriptor describe(String mediaType, SifDescriptor written) {
        OciDigest digest = OciDigest.parse(written.ociDigest().orElseThrow()).orElseThrow();
        return new OciDescriptor(mediaType, digest, written.size(), "", Map.of(), Optional.empty());
    }

    private static byte[] read(Path file) {
        try {
            if (Files.size(file) > 16 * 1024 * 1024) {
                throw new JruncException(file + ": image config larger than 16 MiB");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new JruncException(file + ": cannot read the image config: " + JruncException.reason(e), e);
        }
    }
}
