package org.jrunc.cli;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jrunc.JruncException;
import org.jrunc.image.cache.CacheCleaner;
import org.jrunc.image.cache.CacheContents;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.pull.ByteSize;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** `cache list` and `cache clean [--all | --older-than D]`: the image cache that `pull` and `mount SOURCE` fill. */
@Command(
        name = "cache",
        description = "list or clean the image cache ($JRUNC_CACHEDIR)",
        subcommands = {CacheCommand.ListCache.class, CacheCommand.Clean.class})
public final class CacheCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            throw new JruncException("cache: give a subcommand: list or clean");
        });
    }

    @Command(name = "list", description = "list the pulled images and what they take")
    static final class ListCache implements Callable<Integer> {
        @ParentCommand
        CacheCommand cache;

        @Override
        public Integer call() {
            return Commands.guard(cache.parent.global, () -> {
                ImageCache images = ImagePulls.openCache();
                List<CacheContents.Entry> entries = new CacheContents(images).entries();
                DateTimeFormatter time = DateTimeFormatter.ISO_INSTANT;
                System.out.printf(Locale.ROOT, "%-19s  %-10s  %-20s  %s%n", "DIGEST", "SIZE", "LAST USED", "SOURCE");
                for (CacheContents.Entry e : entries) {
                    System.out.printf(
                            Locale.ROOT,
                            "%-19s  %-10s  %-20s  %s%n",
                            e.top().digest().shortForm(),
                            ByteSize.human(e.bytes()),
                            time.format(e.lastUsed().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                            e.reference());
                }
                System.out.flush();
                return 0;
            });
        }
    }

    @Command(
            name = "clean",
            description = "remove what no pulled image needs; --older-than also forgets images unused for that long,"
                    + " --all forgets every image")
    static final class Clean implements Callable<Integer> {
        @ParentCommand
        CacheCommand cache;

        @ArgGroup(exclusive = true)
        Which which;

        static final class Which {
            @Option(names = "--all", description = "empty the cache")
            boolean all;

            @Option(
                    names = "--older-than",
                    paramLabel = "AGE",
                    description = "forget images unused for AGE (90s, 30m," + " 12h, 7d, 2w)")
            String olderThan;
        }

        @Override
        public Integer call() {
            return Commands.guard(cache.parent.global, () -> {
                ImageCache images = ImagePulls.openCache();
                CacheCleaner.Report report;
                if (which != null && which.all) {
                    report = CacheCleaner.all(images);
                } else if (which != null && which.olderThan != null) {
                    Duration age = CacheCleaner.parseAge(which.olderThan);
                    report = CacheCleaner.olderThan(images, age);
                } else {
                    report = CacheCleaner.unreachable(images);
                }
                System.out.printf(
                        Locale.ROOT,
                        "removed %d image%s and %d file%s (%s)%n",
                        report.references(),
                        report.references() == 1 ? "" : "s",
                        report.files(),
                        report.files() == 1 ? "" : "s",
                        ByteSize.human(report.bytes()));
                System.out.flush();
                return 0;
            });
        }
    }
}
