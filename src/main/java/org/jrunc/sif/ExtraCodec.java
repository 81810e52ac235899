package org.jrunc.sif;

import static org.jrunc.sif.SifFormat.EXTRA_SIZE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Packed little-endian layouts of the Extra field per data type (docs/SIF-FORMAT.md §3.2). */
final class ExtraCodec {
    private ExtraCodec() {}

    private static final int PARTITION_ARCH_OFFSET = 8;

    /** {@code raw} is the 384-byte field; decoding is total, so a corrupt Extra never fails a load. */
    static SifExtra decode(SifDataType type, byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return switch (type) {
            case PARTITION ->
                new SifExtra.Partition(
                        b.getInt(0),
                        b.getInt(4),
                        FixedText.trailingNulsTrimmed(raw, PARTITION_ARCH_OFFSET, SifFormat.ARCH_SIZE));
            case SIGNATURE ->
                new SifExtra.Signature(b.getInt(0), Arrays.copyOfRange(raw, 4, 4 + SifExtra.Signature.ENTITY_SIZE));
            case CRYPTO_MESSAGE -> new SifExtra.CryptoMessage(b.getInt(0), b.getInt(4));
            case SBOM -> new SifExtra.Sbom(b.getInt(0));
            case OCI_ROOT_INDEX, OCI_BLOB -> new SifExtra.OciBlobDigest(FixedText.upToFirstNul(raw, 0, EXTRA_SIZE));
            default -> new SifExtra.Opaque(raw);
        };
    }

    static byte[] encode(SifExtra extra) {
        byte[] raw = new byte[EXTRA_SIZE];
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (extra instanceof SifExtra.Partition p) {
            b.putInt(0, p.fsTypeCode()).putInt(4, p.partitionTypeCode());
            FixedText.put(raw, PARTITION_ARCH_OFFSET, SifFormat.ARCH_SIZE, p.archCode());
        } else if (extra instanceof SifExtra.Signature s) {
            b.putInt(0, s.hashTypeCode());
            System.arraycopy(s.entity(), 0, raw, 4, SifExtra.Signature.ENTITY_SIZE);
        } else if (extra instanceof SifExtra.CryptoMessage c) {
            b.putInt(0, c.formatCode()).putInt(4, c.messageTypeCode());
        } else if (extra instanceof SifExtra.Sbom s) {
            b.putInt(0, s.formatCode());
        } else if (extra instanceof SifExtra.OciBlobDigest d) {
            FixedText.put(raw, 0, EXTRA_SIZE, d.digest());
        } else if (extra instanceof SifExtra.Opaque o) {
            byte[] bytes = o.bytes();
            System.arraycopy(bytes, 0, raw, 0, Math.min(bytes.length, EXTRA_SIZE));
        }
        return raw;
    }

    /** Which Extra kind a data type takes, so the writer can reject e.g. partition metadata on a JSON object. */
    static Class<? extends SifExtra> kindFor(SifDataType type) {
        return switch (type) {
            case PARTITION -> SifExtra.Partition.class;
            case SIGNATURE -> SifExtra.Signature.class;
            case CRYPTO_MESSAGE -> SifExtra.CryptoMessage.class;
            case SBOM -> SifExtra.Sbom.class;
            case OCI_ROOT_INDEX, OCI_BLOB -> SifExtra.OciBlobDigest.class;
            default -> SifExtra.Opaque.class;
        };
    }
}
