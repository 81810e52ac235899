package org.jrunc.image.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciJson;
import org.jrunc.sif.OciMediaTypes;

/**
 * A {@code docker-archive:FILE}, as `docker save` and skopeo write it: manifest.json lists the image's config file and
 * its layer tars, base first. The fetcher caches the config and layers under the digests it computes and writes the
 * Docker schema 2 manifest that describes them, which becomes the top manifest: the same archive always gives the
 * same manifest digest.
 */
final class DockerArchiveFetcher implements ImageFetcher {
    static final String LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
    static final String LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageCache cache;
    private final UnpackedArchive archive;
    private final String where;

    DockerArchiveFetcher(ImageCache cache, Path file, String where) {
        this.cache = cache;
        this.where = where;
        this.archive = UnpackedArchive.unpack(cache, file);
    }

    @Override
    public OciDescriptor top() {
        Path manifestFile = archive.file("manifest.json");
        JsonNode list;
        try {
            list = JSON.readTree(Files.readAllBytes(manifestFile));
        } catch (IOException e) {
            throw new JruncException(where + ": manifest.json: " + JruncException.reason(e), e);
        }
        if (list == null || !list.isArray() || list.size() != 1 || !list.get(0).isObject()) {
            throw new JruncException(where + ": manifest.json must list exactly one image (it lists "
                    + (list != null && list.isArray() ? list.size() : "none") + ")");
        }
        JsonNode image = list.get(0);
        JsonNode config = image.get("Config");
        JsonNode layers = image.get("Layers");
        if (config == null || !config.isTextual() || layers == null || !layers.isArray()) {
            throw new JruncException(where + ": manifest.json: the image needs \"Config\" (a file name) and"
                    + " \"Layers\" (a list of file names)");
        }
        OciDescriptor configDescriptor = cacheFile(config.asText(), OciMediaTypes.DOCKER_CONFIG);
        List<OciDescriptor> layerDescriptors = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (!layers.get(i).isTextual()) {
                throw new JruncException(where + ": manifest.json: Layers[" + i + "] is not a file name");
            }
            String name = layers.get(i).asText();
            layerDescriptors.add(cacheFile(name, isGzip(archive.file(name)) ? LAYER_TAR_GZIP : LAYER_TAR));
        }
        byte[] manifest = manifest(configDescriptor, layerDescriptors);
        OciDigest digest = OciDigest.sha256(manifest);
        CachedDocuments.store(cache, digest, manifest, where);
        return new OciDescriptor(
                OciMediaTypes.DOCKER_MANIFEST, digest, manifest.length, "", Map.of(), Optional.empty());
    }

    private OciDescriptor cacheFile(String name, String mediaType) {
        Path file = archive.file(name);
        return BlobImport.hashed(cache, file, mediaType);
    }

    private static boolean isGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw new JruncException(file + ": cannot read: " + JruncException.reason(e), e);
        }
    }

    private static byte[] manifest(OciDescriptor config, List<OciDescriptor> layers) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OciMediaTypes.DOCKER_MANIFEST);
        manifest.set("config", OciJson.descriptorNode(config));
        ArrayNode array = manifest.putArray("layers");
        layers.forEach(l -> array.add(OciJson.descriptorNode(l)));
        try {
            return JSON.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    @Override
    public byte[] document(OciDescriptor d) {
        return CachedDocuments.read(cache, d.digest())
                .orElseThrow(() -> new JruncException(where + ": no manifest " + d.digest() + " in the archive"));
    }

    @Override
    public Path blob(OciDescriptor d, BlobProgress progress) {
        Path cached = cache.blob(d.digest())
                .orElseThrow(() -> new JruncException(where + ": no blob " + d.digest() + " in the archive"));
        progress.transferred(d.size());
        return cached;
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public void close() {
        archive.close();
    }
}
