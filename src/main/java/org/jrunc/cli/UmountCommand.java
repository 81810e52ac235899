package org.jrunc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrunc.sifbundle.SifBundleUnmounter;
import org.jrunc.sys.LinuxSyscalls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `umount BUNDLE`: undoes `jrunc mount` (Singularity's `oci umount`); refuses a bundle it did not make. */
@Command(name = "umount", description = "unmount and delete a bundle made by jrunc mount")
public final class UmountCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Parameters(index = "0", paramLabel = "<bundle>")
    String bundle;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            new SifBundleUnmounter(LinuxSyscalls.get()).umount(Path.of(bundle));
            return 0;
        });
    }
}
