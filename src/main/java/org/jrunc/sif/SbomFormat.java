package org.jrunc.sif;

/** Format of an SBOM object (Extra offset 0); siftool prints unknown formats in lower case. */
public enum SbomFormat implements CodedEnum {
    CYCLONEDX_JSON(1, "cyclonedx-json"),
    CYCLONEDX_XML(2, "cyclonedx-xml"),
    GITHUB_JSON(3, "github-json"),
    SPDX_JSON(4, "spdx-json"),
    SPDX_RDF(5, "spdx-rdf"),
    SPDX_TAG_VALUE(6, "spdx-tag-value"),
    SPDX_YAML(7, "spdx-yaml"),
    SYFT_JSON(8, "syft-json"),
    UNKNOWN(0, "unknown");

    private final Coded coded;

    SbomFormat(int code, String displayName) {
        this.coded = new Coded(code, displayName);
    }

    @Override
    public Coded coded() {
        return coded;
    }

    public static SbomFormat fromCode(int code) {
        return CodedEnum.fromCode(values(), code, UNKNOWN);
    }
}
