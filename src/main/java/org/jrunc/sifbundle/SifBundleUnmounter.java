package org.jrunc.sifbundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.log.Log;
import org.jrunc.sys.LoopDevices;
import org.jrunc.sys.Syscalls;

/**
 * `jrunc umount BUNDLE`: undoes what the bundle's marker says `jrunc mount` made, from the bundle path alone, and
 * also after a reboot (nothing mounted any more, files still there). A directory without a marker is refused
 * untouched: umount never deletes what it cannot prove mount created.
 */
public final class SifBundleUnmounter {
    private final Syscalls sys;
    private final LoopDevices loops;
    private final FuseTools fuse;
    private final Host host;

    public SifBundleUnmounter(Syscalls sys) {
        this(sys, new LoopDevices(sys), new FuseCommands(), new LiveHost());
    }

    SifBundleUnmounter(Syscalls sys, LoopDevices loops, FuseTools fuse, Host host) {
        this.sys = sys;
        this.loops = loops;
        this.fuse = fuse;
        this.host = host;
    }

    public void umount(Path bundle) {
        Path absolute = bundle.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new JruncException(Shown.of(absolute) + ": no such bundle directory");
        }
        BundleLayout layout = BundleLayout.of(absolute);
        MarkerFile file = new MarkerFile(layout);
        MountMarker marker = file.read();
        List<Path> kept = new Teardown(layout, sys, loops, fuse, host).run(marker, file);
        for (Path p : kept) {
            Log.warn("kept " + Shown.of(p) + ": it holds files that jrunc mount did not create");
        }
    }
}
