package org.jrunc.sif;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The OCI image stored in an OCI-SIF: the single OCI.RootIndex object is the image layout's index.json, and every
 * blob it reaches (manifests, configs, layers, nested indexes) is an OCI.Blob object found by the digest recorded
 * in its descriptor.
 *
 * <p>JSON documents (indexes, manifests, configs) are always checked against their recorded digest before they
 * are parsed: that is cheap, and it makes a reference cycle impossible. Layers, which may be large, are verified
 * only when asked ({@link #verify}, {@link #verifyAll}).
 */
public final class OciSif {
    /** Index, manifest and config documents are a few KB; a larger one is refused rather than loaded. */
    static final int MAX_JSON_BYTES = 16 * 1024 * 1024;

    private static final int MAX_INDEX_DEPTH = 8;
    /** Bounds the work of walking the index tree however the entries fan out. */
    private static final int MAX_MANIFEST_REFERENCES = 4096;

    private final SifImage image;
    private final SifDescriptor rootIndexObject;
    /** Recorded digest text to the first object recording it; built once, lookups are frequent. */
    private final Map<String, SifDescriptor> byDigest;
    /** Parsed documents by object ID: each blob is read, verified and parsed once however often it is referenced. */
    private final Map<Integer, JsonNode> documents = new ConcurrentHashMap<>();

    private OciSif(SifImage image, SifDescriptor rootIndexObject) {
        this.image = image;
        this.rootIndexObject = rootIndexObject;
        Map<String, SifDescriptor> index = new HashMap<>();
        image.descriptors().forEach(d -> d.ociDigest().ifPresent(digest -> index.putIfAbsent(digest, d)));
        this.byDigest = Map.copyOf(index);
    }

    /** Fails unless the image has exactly one OCI.RootIndex object. */
    public static OciSif of(SifImage image) {
        List<SifDescriptor> roots = image.ofType(SifDataType.OCI_ROOT_INDEX);
        if (roots.isEmpty()) {
            throw new SifException(image.file(), "not an OCI-SIF: no OCI.RootIndex object");
        }
        if (roots.size() > 1) {
            String ids = roots.stream().map(d -> Integer.toString(d.id())).collect(Collectors.joining(", "));
            throw new SifException(
                    image.file(), roots.size() + " OCI.RootIndex objects (IDs " + ids + "); expected exactly one");
        }
        return new OciSif(image, roots.get(0));
    }

    public SifImage image() {
        return image;
    }

    public SifDescriptor rootIndexObject() {
        return rootIndexObject;
    }

    public OciIndex rootIndex() {
        return OciJson.index(document(rootIndexObject), image.file(), SifImage.describe(rootIndexObject));
    }

    /** The first OCI.Blob or OCI.RootIndex object recording {@code digest}, as sylabs' WithOCIBlobDigest. */
    public Optional<SifDescriptor> findBlob(OciDigest digest) {
        return Optional.ofNullable(byDigest.get(digest.toString()));
    }

    /** The object holding the blob {@code ref} points to; its size must be the one {@code ref} states. */
    public SifDescriptor blob(OciDescriptor ref) {
        SifDescriptor d = findBlob(ref.digest())
                .orElseThrow(() ->
                        new SifException(image.file(), "no OCI blob with digest " + ref.digest() + mediaTypeNote(ref)));
        if (d.size() != ref.size()) {
            throw new SifException(
                    image.file(),
                    ref.digest() + " is referenced with size " + ref.size() + " but " + SifImage.describe(d) + " holds "
                            + d.size() + " bytes");
        }
        return d;
    }

    public OciIndex index(OciDescriptor ref) {
        SifDescriptor d = blob(ref);
        return OciJson.index(document(d), image.file(), SifImage.describe(d));
    }

    public OciManifest manifest(OciDescriptor ref) {
        SifDescriptor d = blob(ref);
        return OciJson.manifest(document(d), image.file(), SifImage.describe(d));
    }

    public OciImageConfig config(OciManifest manifest) {
        SifDescriptor d = blob(manifest.config());
        return OciJson.config(document(d), image.file(), SifImage.describe(d));
    }

    /** The manifest's layers, base first, each with the object (offset, size) holding it. */
    public List<OciLayer> layers(OciManifest manifest) {
        return manifest.layers().stream().map(l -> new OciLayer(l, blob(l))).toList();
    }

    /** Resolves an image manifest entry of an index. */
    public OciImage image(OciDescriptor manifestRef) {
        SifDescriptor manifestObject = blob(manifestRef);
        OciManifest manifest = manifest(manifestRef);
        return new OciImage(
                manifestRef, manifest, manifestObject, config(manifest), blob(manifest.config()), layers(manifest));
    }

    /**
     * Every image reachable from the root index, depth first in index order; nested indexes are followed, entries
     * that are neither indexes nor image manifests (artifacts, attestations) are skipped.
     */
    public List<OciImage> images() {
        List<OciImage> found = new ArrayList<>();
        collectImages(rootIndex(), 0, found, new int[] {0});
        return found;
    }

    /** The image of a single-image OCI-SIF (what Singularity builds); anything else is an error. */
    public OciImage singleImage() {
        List<OciImage> all = images();
        if (all.size() != 1) {
            throw new SifException(image.file(), "OCI-SIF holds " + all.size() + " images; expected exactly one");
        }
        return all.get(0);
    }

    /** Hashes the object's data and compares it with the digest its descriptor records. */
    public void verify(SifDescriptor object) {
        OciDigest recorded = recordedDigest(object);
        MessageDigest md = recorded.newMessageDigest();
        try (InputStream in = image.openStream(object)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw SifException.io(image.file(), "cannot read " + SifImage.describe(object), e);
        }
        checkDigest(object, recorded, OciDigest.of(recorded.algorithm(), md.digest()));
    }

    /** Verifies every OCI.Blob and OCI.RootIndex object. */
    public void verifyAll() {
        image.descriptors().stream().filter(d -> d.dataType().isOci()).forEach(this::verify);
    }

    private void collectImages(OciIndex index, int depth, List<OciImage> found, int[] references) {
        for (OciDescriptor entry : index.manifests()) {
            if (++references[0] > MAX_MANIFEST_REFERENCES) {
                throw new SifException(
                        image.file(), "OCI index tree lists more than " + MAX_MANIFEST_REFERENCES + " manifests");
            }
            if (OciMediaTypes.isIndex(entry.mediaType())) {
                if (depth >= MAX_INDEX_DEPTH) {
                    throw new SifException(image.file(), "OCI indexes nested more than " + MAX_INDEX_DEPTH + " deep");
                }
                collectImages(index(entry), depth + 1, found, references);
            } else if (OciMediaTypes.isImageManifest(entry.mediaType())) {
                found.add(image(entry));
            }
        }
    }

    /** Reads, verifies and parses a JSON object once. */
    private JsonNode document(SifDescriptor d) {
        return documents.computeIfAbsent(d.id(), id -> {
            byte[] data = image.readBytes(d, MAX_JSON_BYTES);
            OciDigest recorded = recordedDigest(d);
            checkDigest(
                    d,
                    recorded,
                    OciDigest.of(
                            recorded.algorithm(), recorded.newMessageDigest().digest(data)));
            return OciJson.parseObject(data, image.file(), SifImage.describe(d));
        });
    }

    private OciDigest recordedDigest(SifDescriptor d) {
        String text = d.ociDigest()
                .orElseThrow(() -> new SifException(image.file(), SifImage.describe(d) + " is not an OCI blob"));
        return OciDigest.parse(text)
                .orElseThrow(() -> new SifException(
                        image.file(),
                        SifImage.describe(d) + " records a malformed digest \"" + FixedText.printable(text) + "\""));
    }

    private void checkDigest(SifDescriptor d, OciDigest recorded, OciDigest actual) {
        if (!recorded.equals(actual)) {
            throw new SifException(
                    image.file(),
                    SifImage.describe(d) + ": data hashes to " + actual + " but the descriptor records " + recorded);
        }
    }

    private static String mediaTypeNote(OciDescriptor ref) {
        return ref.mediaType().isEmpty() ? "" : " (" + ref.mediaType() + ")";
    }
}
