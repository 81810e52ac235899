package org.jrunc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrunc.JruncException;
import org.jrunc.sif.SifImage;
import org.jrunc.sif.SifListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `sif list|info|header|dump`: inspect SIF and OCI-SIF images, like `singularity sif`. */
@Command(
        name = "sif",
        description = "inspect SIF images",
        subcommands = {SifCommand.ListSif.class, SifCommand.Info.class, SifCommand.Header.class, SifCommand.Dump.class})
public final class SifCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            throw new JruncException("sif: give a subcommand: list, info, header or dump");
        });
    }

    /** Shared by the subcommands: open the image, run, close. */
    abstract static class ImageCommand implements Callable<Integer> {
        @ParentCommand
        SifCommand sif;

        @Parameters(index = "0", paramLabel = "<image>")
        Path image;

        abstract void run(SifImage img);

        @Override
        public Integer call() {
            return Commands.guard(sif.parent.global, () -> {
                try (SifImage img = SifImage.open(image)) {
                    run(img);
                }
                System.out.flush();
                return 0;
            });
        }
    }

    @Command(name = "list", description = "list the data objects of a SIF image")
    static final class ListSif extends ImageCommand {
        @Override
        void run(SifImage img) {
            System.out.print(SifListing.list(img));
        }
    }

    @Command(name = "header", description = "show the global header of a SIF image")
    static final class Header extends ImageCommand {
        @Override
        void run(SifImage img) {
            System.out.print(SifListing.header(img));
        }
    }

    @Command(name = "info", description = "show the details of one data object")
    static final class Info extends ImageCommand {
        @Parameters(index = "1", paramLabel = "<id>")
        int id;

        @Override
        void run(SifImage img) {
            System.out.print(SifListing.info(img, id));
        }
    }

    @Command(name = "dump", description = "write the bytes of one data object to stdout")
    static final class Dump extends ImageCommand {
        @Parameters(index = "1", paramLabel = "<id>")
        int id;

        @Override
        void run(SifImage img) {
            img.copyObject(id, System.out);
        }
    }
}
