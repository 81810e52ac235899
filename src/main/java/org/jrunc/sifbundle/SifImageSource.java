package org.jrunc.sifbundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.sif.FsType;
import org.jrunc.sif.HostArch;
import org.jrunc.sif.OciImage;
import org.jrunc.sif.OciLayer;
import org.jrunc.sif.OciMediaTypes;
import org.jrunc.sif.OciSif;
import org.jrunc.sif.SifArch;
import org.jrunc.sif.SifDataType;
import org.jrunc.sif.SifDescriptor;
import org.jrunc.sif.SifExtra;
import org.jrunc.sif.SifImage;

/**
 * Reads a SIF or OCI-SIF into a {@link MountableImage}, refusing what cannot be mounted: a native SIF's primary
 * partition must be squashfs (checked by type and by magic), an OCI-SIF's layers must all be squashfs layer blobs
 * (a tar layer would have to be unpacked first), and the architecture must run here.
 */
final class SifImageSource {
    /** Name of the JSON.Generic object in which Singularity stores a native image's OCI image config. */
    static final String OCI_CONFIG_OBJECT = "oci-config.json";

    private static final int MAX_CONFIG_BYTES = 16 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SifImageSource() {}

    static MountableImage read(Path file) {
        try (SifImage sif = SifImage.open(file)) {
            return sif.isOciSif() ? fromOciSif(sif, file) : fromNative(sif, file);
        }
    }

    private static MountableImage fromNative(SifImage sif, Path file) {
        String name = Shown.of(file);
        SifDescriptor root = sif.primaryPartition()
                .orElseThrow(() -> new JruncException(
                        name + ": no primary system partition (PrimSys) to use as the root filesystem"));
        SifExtra.Partition part = root.partition().orElseThrow();
        String what = "object " + root.id() + " (primary system partition)";
        if (part.fsType() != FsType.SQUASHFS) {
            throw new JruncException(name + ": " + what + " is " + part.fsType().displayName() + " (fs type "
                    + part.fsTypeCode() + "); only a squashfs root filesystem can be mounted");
        }
        if (!sif.isSquashfs(root)) {
            throw new JruncException(name + ": " + what + " is marked squashfs but does not start with the squashfs"
                    + " magic \"hsqs\"");
        }
        checkArch(part.arch(), name + ": " + what);
        List<SifDescriptor> configs = sif.select(
                d -> d.dataType() == SifDataType.GENERIC_JSON && d.name().equals(OCI_CONFIG_OBJECT));
        ImageConfig config = ImageConfig.EMPTY;
        String where = name + ": (no " + OCI_CONFIG_OBJECT + ")";
        if (!configs.isEmpty()) {
            SifDescriptor d = configs.get(0);
            where = name + ": object " + d.id() + " (" + OCI_CONFIG_OBJECT + ")";
            config = ImageConfig.parse(parse(sif.readBytes(d, MAX_CONFIG_BYTES), where), where);
        }
        return new MountableImage(
                file, sif.fileSize(), List.of(new SquashfsExtent(root.offset(), root.size(), what)), config, where);
    }

    private static MountableImage fromOciSif(SifImage sif, Path file) {
        String name = Shown.of(file);
        OciImage image = OciSif.of(sif).singleImage();
        List<OciLayer> layers = new ArrayList<>(image.layers());
        // Singularity may append a writable ext3 overlay as the last layer; it is not part of the root filesystem
        if (!layers.isEmpty()
                && OciMediaTypes.EXT3_OVERLAY_LAYER.equals(
                        layers.get(layers.size() - 1).mediaType())) {
            layers.remove(layers.size() - 1);
        }
        if (layers.isEmpty()) {
            throw new JruncException(name + ": the OCI image has no layers to mount");
        }
        List<SquashfsExtent> extents = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            OciLayer layer = layers.get(i);
            String what = "layer " + i + " (" + layer.digest() + ")";
            if (!layer.isSquashfs()) {
                throw new JruncException(name + ": " + what + " has media type "
                        + Shown.of(layer.mediaType().isEmpty() ? "(none)" : layer.mediaType())
                        + "; only " + OciMediaTypes.SQUASHFS_LAYER + " layers can be mounted in place (a tar layer"
                        + " would have to be unpacked; convert the image to squashfs layers first)");
            }
            if (!sif.isSquashfs(layer.object())) {
                throw new JruncException(name + ": " + what + " does not start with the squashfs magic \"hsqs\"");
            }
            extents.add(new SquashfsExtent(layer.offset(), layer.size(), what));
        }
        String architecture = image.config().architecture();
        checkArch(
                SifArch.fromGoArch(architecture),
                name + ": image config (architecture \"" + Shown.of(architecture) + "\")");
        String where = name + ": image config " + image.manifest().config().digest();
        return new MountableImage(
                file,
                sif.fileSize(),
                extents,
                ImageConfig.parse(image.config().json().get("config"), where),
                where);
    }

    private static void checkArch(SifArch arch, String what) {
        SifArch host = HostArch.host();
        if (!HostArch.runs(arch, host)) {
            throw new JruncException(
                    what + ": built for " + arch.goArch() + ", which does not run on this " + host.goArch() + " host");
        }
    }

    private static JsonNode parse(byte[] data, String where) {
        try {
            return JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new JruncException(where + ": invalid JSON: " + Shown.of(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new JruncException(where + ": cannot parse: " + Shown.of(e.getMessage()));
        }
    }
}
