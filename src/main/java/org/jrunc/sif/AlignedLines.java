package org.jrunc.sif;

import java.util.ArrayList;
import java.util.List;

/**
 * "key: value" lines with the values lined up, as Go's tabwriter lays out siftool's header and info output: every
 * key cell is as wide as the longest key plus {@code padding} spaces, after an optional indent.
 */
final class AlignedLines {
    private final List<String[]> lines = new ArrayList<>();

    AlignedLines add(String key, Object value) {
        lines.add(new String[] {key, String.valueOf(value)});
        return this;
    }

    String render(String indent, int padding) {
        int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0) + padding;
        StringBuilder sb = new StringBuilder();
        for (String[] line : lines) {
            sb.append(indent)
                    .append(line[0])
                    .append(" ".repeat(width - line[0].length()))
                    .append(line[1])
                    .append('\n');
        }
        return sb.toString();
    }
}
