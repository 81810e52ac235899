package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jrunc.JruncException;
import org.jrunc.sys.EffectiveIds;

/** FUSE drivers that only edit a {@link FakeHost}'s mount table; one call can be made to fail. */
final class FakeFuse implements FuseTools {
    final List<String> calls = new ArrayList<>();
    final FakeHost host;
    String failOn;

    FakeFuse(FakeHost host) {
        this.host = host;
    }

    private void call(String name, String text) {
        calls.add(text);
        if (name.equals(failOn)) {
            throw new JruncException(name + " failed (exit 1): fake failure");
        }
    }

    @Override
    public void check() {
        calls.add("check");
    }

    @Override
    public void mountSquashfs(Path image, long offset, Path target, Optional<EffectiveIds> owner) {
        call(
                "squashfuse",
                "squashfuse "
                        + owner.map(o -> "uid=" + o.uid() + ",gid=" + o.gid() + ",")
                                .orElse("") + "offset=" + offset + " " + image.getFileName() + " "
                        + target.getFileName());
        host.mount(target, SQUASHFUSE_TYPE, "squashfuse");
    }

    @Override
    public void mountOverlay(List<Path> lowers, Path upper, Path work, Path target) {
        call(
                "fuse-overlayfs",
                "fuse-overlayfs lowerdir="
                        + lowers.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(":")) + " "
                        + target.getFileName());
        host.mount(target, OVERLAY_TYPE, "fuse-overlayfs");
    }

    @Override
    public void unmount(Path target) {
        call("fusermount", "fusermount -u " + target.getFileName());
        host.unmount(target);
    }
}
