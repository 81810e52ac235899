package org.jrunc.sif;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Text for {@code jrunc sif list|info|header}, in the exact layout of sylabs' siftool (its golden files in
 * {@code internal/app/siftool/testdata} are the reference). Object bytes ({@code dump}) come from
 * {@link SifImage#copyObject(int, java.io.OutputStream)}.
 */
public final class SifListing {
    private SifListing() {}

    private static final String RULE = "-".repeat(78) + "\n";
    /** Go prints UTC times as "2006-01-02 15:04:05 +0000 UTC". */
    private static final DateTimeFormatter GO_UTC_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss '+0000 UTC'").withZone(ZoneOffset.UTC);

    /** One row per used descriptor: ID, group, link, byte range and type with its metadata. */
    public static String list(SifImage image) {
        StringBuilder sb = new StringBuilder(RULE);
        sb.append(String.format(
                "%-4s %-8s %-8s %-26s %s\n", "ID", "|GROUP", "|LINK", "|SIF POSITION (start-end)", "|TYPE"));
        sb.append(RULE);
        for (SifDescriptor d : image.descriptors()) {
            sb.append(String.format(
                    "%-4d |%-7s |%-7s %-26s |%s\n",
                    d.id(), group(d), listLink(d.link()), "|" + d.offset() + "-" + d.end() + " ", typeSummary(d)));
        }
        return sb.toString();
    }

    /** The fields of object {@code id}, indented two spaces; a missing ID is a {@link SifException}. */
    public static String info(SifImage image, int id) {
        SifDescriptor d = image.requireDescriptor(id);
        AlignedLines lines = new AlignedLines()
                .add("Data Type:", d.dataType().displayName())
                .add("ID:", d.id())
                .add("Group ID:", group(d))
                .add("Linked ID:", infoLink(d.link()))
                .add("Offset:", d.offset())
                .add("Size:", d.size());
        time(d.createdAt()).ifPresent(t -> lines.add("Created At:", t));
        time(d.modifiedAt()).ifPresent(t -> lines.add("Modified At:", t));
        if (!d.name().isEmpty()) {
            lines.add("Name:", FixedText.terminalSafe(d.name()));
        }
        addExtra(lines, d.extra());
        return lines.render("  ", 2);
    }

    /** The global header; optional fields (launch script, arch, ID, times) appear only when set. */
    public static String header(SifImage image) {
        SifHeader h = image.header();
        AlignedLines lines = new AlignedLines();
        if (!h.launchScript().isEmpty()) {
            String script = h.launchScript();
            script = script.endsWith("\n") ? script.substring(0, script.length() - 1) : script;
            lines.add("Launch Script:", FixedText.terminalSafe(script));
        }
        lines.add("Version:", h.version());
        if (h.arch() != SifArch.UNKNOWN) {
            lines.add("Primary Architecture:", h.arch().goArch());
        }
        if (!SifHeader.NIL_ID.equals(h.id())) {
            lines.add("ID:", h.id());
        }
        time(h.createdAt()).ifPresent(t -> lines.add("Created At:", t));
        time(h.modifiedAt()).ifPresent(t -> lines.add("Modified At:", t));
        lines.add("Descriptors Free:", h.descriptorsFree())
                .add("Descriptors Total:", h.descriptorsTotal())
                .add("Descriptors Offset:", h.descriptorsOffset())
                .add("Descriptors Size:", readableSize(h.descriptorsSize()))
                .add("Data Offset:", h.dataOffset())
                .add("Data Size:", readableSize(h.dataSize()));
        return lines.render("", 1);
    }

    /** The TYPE column: data type plus the metadata that tells objects of that type apart. */
    static String typeSummary(SifDescriptor d) {
        String type = d.dataType().displayName();
        SifExtra extra = d.extra();
        if (extra instanceof SifExtra.Partition p) {
            return type + " (" + p.fsType().displayName() + "/"
                    + p.partitionType().displayName() + "/" + p.arch().goArch() + ")";
        } else if (extra instanceof SifExtra.Signature s) {
            return type + " (" + s.hashType().displayName() + ")";
        } else if (extra instanceof SifExtra.CryptoMessage c) {
            return type + " (" + c.format().displayName() + "/"
                    + c.messageType().displayName() + ")";
        } else if (extra instanceof SifExtra.Sbom s) {
            return type + " (" + s.format().displayName() + ")";
        }
        return type;
    }

    private static void addExtra(AlignedLines lines, SifExtra extra) {
        if (extra instanceof SifExtra.Partition p) {
            lines.add("Filesystem Type:", p.fsType().displayName())
                    .add("Partition Type:", p.partitionType().displayName())
                    .add("Architecture:", p.arch().goArch());
        } else if (extra instanceof SifExtra.Signature s) {
            lines.add("Hash Type:", s.hashType().displayName());
            s.fingerprint().ifPresent(fp -> lines.add("Entity:", fp));
        } else if (extra instanceof SifExtra.CryptoMessage c) {
            lines.add("Format Type:", c.format().displayName())
                    .add("Message Type:", c.messageType().displayName());
        } else if (extra instanceof SifExtra.Sbom s) {
            lines.add("Format:", s.format().displayName());
        } else if (extra instanceof SifExtra.OciBlobDigest digest) {
            lines.add("Digest:", FixedText.terminalSafe(digest.digest()));
        }
    }

    private static String group(SifDescriptor d) {
        return d.groupId() == 0 ? "NONE" : Integer.toString(d.groupId());
    }

    private static String listLink(SifLink link) {
        if (link.isNone()) {
            return "NONE";
        }
        return link.group() ? String.format("%-3d (G)", link.target()) : Integer.toString(link.target());
    }

    private static String infoLink(SifLink link) {
        if (link.isNone()) {
            return "NONE";
        }
        return link.target() + (link.group() ? " (G)" : "");
    }

    /** Empty for unset times; a value too far out for a calendar date is shown as raw seconds. */
    private static Optional<String> time(long epochSeconds) {
        if (epochSeconds == SifClock.UNSET) {
            return Optional.empty();
        }
        return Optional.of(SifClock.instant(epochSeconds)
                .map(GO_UTC_TIME::format)
                .orElse(epochSeconds + " (Unix seconds, out of range)"));
    }

    /** 1024-based sizes rounded to whole units ("27 KiB"), bytes below 1 KiB ("706 B"), as siftool prints them. */
    static String readableSize(long size) {
        if (size > -1024 && size < 1024) {
            return size + " B";
        }
        String units = "KMGTPE";
        long divisor = 1024;
        int unit = 0;
        for (long n = size / 1024; n <= -1024 || n >= 1024; n /= 1024) {
            divisor *= 1024;
            unit++;
        }
        return Math.round((double) size / divisor) + " " + units.charAt(unit) + "iB";
    }
}
