package org.jrunc.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciMediaTypes;

/**
 * A manifest response checked as a pull must: at most 4 MiB (what containers/image accepts), one of the four media
 * types jrunc reads, and bytes that hash to the digest asked for, or to the one the registry claims for a tag.
 */
final class ManifestBody {
    static final int MAX_SIZE = 4 * 1024 * 1024;
    /** The Accept header: both index kinds and both image manifest kinds; never Docker schema 1. */
    static final List<String> MEDIA_TYPES = List.of(
            OciMediaTypes.OCI_INDEX,
            OciMediaTypes.OCI_MANIFEST,
            OciMediaTypes.DOCKER_MANIFEST_LIST,
            OciMediaTypes.DOCKER_MANIFEST);

    static final String ACCEPT = String.join(", ", MEDIA_TYPES);
    static final String CONTENT_DIGEST = "Docker-Content-Digest";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ManifestBody() {}

    static FetchedManifest read(ImageReference ref, HttpResponse<InputStream> response) throws TransientFailure {
        long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced > MAX_SIZE) {
            Transport.discard(response);
            throw tooLarge(ref);
        }
        byte[] bytes;
        try (InputStream body = response.body()) {
            bytes = body.readNBytes(MAX_SIZE + 1);
        } catch (IOException e) {
            throw new TransientFailure("reading the manifest: " + Transport.describe(e));
        }
        if (bytes.length > MAX_SIZE) {
            throw tooLarge(ref);
        }
        String mediaType = mediaType(ref, response.headers(), bytes);
        return new FetchedManifest(bytes, mediaType, verifiedDigest(ref, response.headers(), bytes));
    }

    private static RegistryException tooLarge(ImageReference ref) {
        return RegistryException.of(ref, "the manifest is larger than " + MAX_SIZE / (1024 * 1024) + " MiB");
    }

    /** By digest, the bytes must hash to it; by tag, to the registry's Docker-Content-Digest if it sent one. */
    private static OciDigest verifiedDigest(ImageReference ref, HttpHeaders headers, byte[] bytes) {
        if (ref.digest().isPresent()) {
            OciDigest wanted = ref.digest().get();
            OciDigest actual = digestLike(wanted, bytes);
            if (!actual.equals(wanted)) {
                throw RegistryException.of(
                        ref, "the manifest's content does not match its digest (it is " + actual + ")");
            }
            return wanted;
        }
        Optional<String> claimed = headers.firstValue(CONTENT_DIGEST);
        if (claimed.isPresent()) {
            OciDigest said = claimedDigest(ref, claimed.get());
            OciDigest actual = digestLike(said, bytes);
            if (!actual.equals(said)) {
                throw RegistryException.of(
                        ref,
                        "the registry's Docker-Content-Digest " + said + " does not match the manifest it sent ("
                                + actual + ")");
            }
        }
        return OciDigest.sha256(bytes);
    }

    static OciDigest claimedDigest(ImageReference ref, String header) {
        return OciDigest.parse(header.strip())
                .orElseThrow(() -> RegistryException.of(
                        ref, "the registry sent a malformed " + CONTENT_DIGEST + " \"" + header + "\""));
    }

    /** The digest of {@code bytes} by the algorithm of {@code expected}. */
    private static OciDigest digestLike(OciDigest expected, byte[] bytes) {
        return new OciDigest(
                expected.algorithm(),
                HexFormat.of().formatHex(expected.newMessageDigest().digest(bytes)));
    }

    /**
     * The Content-Type when it is one of the four; a registry that answers with a generic type (or none) is read by
     * the manifest's own "mediaType" field, as containers/image does.
     */
    private static String mediaType(ImageReference ref, HttpHeaders headers, byte[] bytes) {
        Optional<String> declared = headers.firstValue("Content-Type").map(ManifestBody::withoutParameters);
        if (declared.isPresent() && MEDIA_TYPES.contains(declared.get())) {
            return declared.get();
        }
        String type = declared.filter(t -> !isGeneric(t))
                .or(() -> fieldMediaType(bytes))
                .orElse("");
        if (MEDIA_TYPES.contains(type)) {
            return type;
        }
        throw unsupported(ref, type);
    }

    static RegistryException unsupported(ImageReference ref, String type) {
        if (type.startsWith("application/vnd.docker.distribution.manifest.v1")) {
            return RegistryException.of(ref, "Docker schema 1 manifests (" + type + ") are not supported");
        }
        return RegistryException.of(
                ref, "unsupported manifest media type \"" + (type.isEmpty() ? "(none)" : type) + "\"");
    }

    static String withoutParameters(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
    }

    private static boolean isGeneric(String type) {
        return type.isEmpty()
                || type.equals("application/json")
                || type.equals("text/plain")
                || type.equals("application/octet-stream");
    }

    private static Optional<String> fieldMediaType(byte[] bytes) {
        try {
            JsonNode root = MAPPER.readTree(bytes);
            JsonNode type = root == null ? null : root.get("mediaType");
            return type != null && type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
