package org.jrunc.image.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jrunc.JruncException;

/**
 * `cache clean`: with no option, what no pulled reference reaches any more (and what dead pulls left in tmp/);
 * {@code --older-than} first forgets the references not used for that long; {@code --all} forgets every reference.
 * Files a running pull is writing are never touched: they are in tmp/ under a live pid.
 */
public final class CacheCleaner {
    /** What a clean removed: references forgotten, files deleted and their bytes. */
    public record Report(int references, int files, long bytes) {}

    private CacheCleaner() {}

    public static Report unreachable(ImageCache cache) {
        return sweep(cache, 0);
    }

    public static Report olderThan(ImageCache cache, Duration age) {
        Instant cutoff = Instant.now().minus(age);
        Set<String> stale = new CacheContents(cache)
                .entries().stream()
                        .filter(e -> e.lastUsed().isBefore(cutoff))
                        .map(CacheContents.Entry::reference)
                        .collect(Collectors.toSet());
        int forgotten = cache.index()
                .remove(d -> stale.contains(d.referenceName().orElse("")))
                .size();
        return sweep(cache, forgotten);
    }

    public static Report all(ImageCache cache) {
        int forgotten = cache.index().remove(d -> true).size();
        return sweep(cache, forgotten);
    }

    private static Report sweep(ImageCache cache, int forgotten) {
        int temporaries = cache.sweepDeadWriters();
        List<Path> unwanted = new CacheContents(cache).unreachable();
        long bytes = 0;
        for (Path p : unwanted) {
            try {
                bytes += Tree.size(p);
                Tree.delete(p);
            } catch (IOException e) {
                throw new JruncException(p + ": cannot remove: " + JruncException.reason(e), e);
            }
        }
        return new Report(forgotten, unwanted.size() + temporaries, bytes);
    }

    /** "90s", "30m", "12h", "7d" or "2w", as `cache clean --older-than` takes it. */
    public static Duration parseAge(String text) {
        if (text.length() >= 2) {
            char unit = text.charAt(text.length() - 1);
            String number = text.substring(0, text.length() - 1);
            if (number.chars().allMatch(Character::isDigit) && number.length() <= 9) {
                long n = Long.parseLong(number);
                switch (unit) {
                    case 's':
                        return Duration.ofSeconds(n);
                    case 'm':
                        return Duration.ofMinutes(n);
                    case 'h':
                        return Duration.ofHours(n);
                    case 'd':
                        return Duration.ofDays(n);
                    case 'w':
                        return Duration.ofDays(7 * n);
                    default:
                        break;
                }
            }
        }
        throw new JruncException("cache clean: --older-than \"" + text
                + "\" is not an age: give a number and a unit s, m, h, d or w (e.g. 7d)");
    }
}
