package org.jrunc.sif;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The type-specific metadata in a descriptor's 384-byte Extra field. Which record a descriptor has is decided by its
 * data type alone; decoding never fails, unknown enum codes read as UNKNOWN (the raw code is kept).
 */
public sealed interface SifExtra {

    /** Partition: filesystem type, partition role and architecture code. */
    record Partition(int fsTypeCode, int partitionTypeCode, String archCode) implements SifExtra {
        public static Partition of(FsType fsType, PartitionType partitionType, SifArch arch) {
            return new Partition(fsType.code(), partitionType.code(), arch.code());
        }

        public FsType fsType() {
            return FsType.fromCode(fsTypeCode);
        }

        public PartitionType partitionType() {
            return PartitionType.fromCode(partitionTypeCode);
        }

        public SifArch arch() {
            return SifArch.fromCode(archCode);
        }
    }

    /**
     * Signature: hash type and a 256-byte entity whose first 20 bytes are an OpenPGP v4 key fingerprint (all zero
     * for DSSE signatures, which carry no fingerprint).
     */
    record Signature(int hashTypeCode, byte[] entity) implements SifExtra {
        static final int ENTITY_SIZE = 256;
        static final int FINGERPRINT_SIZE = 20;

        public Signature {
            if (entity.length > ENTITY_SIZE) {
                throw new IllegalArgumentException("signature entity longer than " + ENTITY_SIZE + " bytes");
            }
            entity = Arrays.copyOf(entity, ENTITY_SIZE);
        }

        public static Signature of(HashType hashType, byte[] fingerprint) {
            return new Signature(hashType.code(), fingerprint);
        }

        public HashType hashType() {
            return HashType.fromCode(hashTypeCode);
        }

        @Override
        public byte[] entity() {
            return entity.clone();
        }

        /** The key fingerprint in upper-case hex as siftool prints it, or empty when there is none. */
        public Optional<String> fingerprint() {
            byte[] fp = Arrays.copyOf(entity, FINGERPRINT_SIZE);
            if (Arrays.equals(fp, new byte[FINGERPRINT_SIZE])) {
                return Optional.empty();
            }
            return Optional.of(HexFormat.of().withUpperCase().formatHex(fp));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && s.hashTypeCode == hashTypeCode && Arrays.equals(s.entity, entity);
        }

        @Override
        public int hashCode() {
            return 31 * hashTypeCode + Arrays.hashCode(entity);
        }

        @Override
        public String toString() {
            return "Signature[" + hashType().displayName() + ", "
                    + fingerprint().orElse("no fingerprint") + "]";
        }
    }

    /** Cryptographic message, e.g. the RSA-OAEP wrapped key of an encrypted squashfs partition. */
    record CryptoMessage(int formatCode, int messageTypeCode) implements SifExtra {
        public static CryptoMessage of(CryptoFormat format, CryptoMessageType messageType) {
            return new CryptoMessage(format.code(), messageType.code());
        }

        public CryptoFormat format() {
            return CryptoFormat.fromCode(formatCode);
        }

        public CryptoMessageType messageType() {
            return CryptoMessageType.fromCode(messageTypeCode);
        }
    }

    /** Software bill of materials format. */
    record Sbom(int formatCode) implements SifExtra {
        public static Sbom of(SbomFormat format) {
            return new Sbom(format.code());
        }

        public SbomFormat format() {
            return SbomFormat.fromCode(formatCode);
        }
    }

    /**
     * OCI blob or root index: the digest text ("sha256:&lt;hex&gt;") of exactly the stored bytes. Kept as text: a
     * malformed value only matters when someone looks the blob up or verifies it.
     */
    record OciBlobDigest(String digest) implements SifExtra {
        public boolean isWellFormed() {
            return OciDigest.parse(digest).isPresent();
        }
    }

    /** Any other data type: no defined layout, the raw bytes (custom metadata is allowed by the format). */
    record Opaque(byte[] bytes) implements SifExtra {
        public Opaque {
            if (bytes.length > SifFormat.EXTRA_SIZE) {
                throw new IllegalArgumentException("extra data longer than " + SifFormat.EXTRA_SIZE + " bytes");
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public boolean isEmpty() {
            for (byte b : bytes) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque other && Arrays.equals(other.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return isEmpty() ? "Opaque[empty]" : "Opaque[" + bytes.length + " bytes]";
        }
    }
}
