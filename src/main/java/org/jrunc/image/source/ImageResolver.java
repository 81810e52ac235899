package org.jrunc.image.source;

import org.jrunc.JruncException;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciIndex;
import org.jrunc.sif.OciJson;
import org.jrunc.sif.OciManifest;
import org.jrunc.sif.OciMediaTypes;

/** Follows a source's top manifest through indexes (nested ones too) to the image manifest for the platform. */
public final class ImageResolver {
    private static final int MAX_DEPTH = 4;

    private ImageResolver() {}

    public static ResolvedImage resolve(ImageFetcher fetcher, PlatformChoice platform) {
        OciDescriptor top = fetcher.top();
        OciDescriptor current = top;
        for (int depth = 0; depth <= MAX_DEPTH; depth++) {
            byte[] bytes = fetcher.document(current);
            String where = fetcher.where() + " (" + current.digest() + ")";
            if (OciMediaTypes.isIndex(current.mediaType())) {
                OciIndex index = OciJson.index(OciJson.parseObject(bytes, where, "index"), where, "index");
                current = platform.choose(index.manifests(), where);
            } else if (OciMediaTypes.isImageManifest(current.mediaType())) {
                OciManifest manifest =
                        OciJson.manifest(OciJson.parseObject(bytes, where, "manifest"), where, "manifest");
                return new ResolvedImage(top, current, manifest);
            } else {
                throw new JruncException(where + ": media type \"" + current.mediaType()
                        + "\" is neither an image manifest nor an index (Docker schema 1 is not supported)");
            }
        }
        throw new JruncException(fetcher.where() + ": indexes nested more than " + MAX_DEPTH + " deep");
    }
}
