package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jrunc.rootfs.MountTable;

/** A mount table the test edits, and processes in other mount namespaces by device. */
final class FakeHost implements Host {
    final List<String> lines = new ArrayList<>(List.of("27 1 254:0 / / rw - ext4 /dev/vda rw"));
    final Map<String, Integer> otherNamespaceUsers = new HashMap<>();
    private int nextId = 100;

    /** Stacks a mount on {@code path} (on top of whatever is there); returns its device. */
    String mount(Path path, String fsType, String source) {
        int id = nextId++;
        int parent = MountTable.parse(String.join("\n", lines))
                .top(path)
                .map(MountTable.Entry::id)
                .orElse(27);
        String device = "0:" + id;
        lines.add(id + " " + parent + " " + device + " / " + path.toString().replace(" ", "\\040") + " rw - " + fsType
                + " " + source + " rw");
        return device;
    }

    /** Removes the visible mount on {@code path}, as umount2 does. */
    void unmount(Path path) {
        int top = MountTable.parse(String.join("\n", lines))
                .top(path)
                .orElseThrow()
                .id();
        lines.removeIf(l -> l.startsWith(top + " "));
    }

    long mountCount() {
        return lines.size();
    }

    @Override
    public MountTable mounts() {
        return MountTable.parse(String.join("\n", lines));
    }

    @Override
    public OptionalInt userInOtherNamespace(String device) {
        Integer pid = otherNamespaceUsers.get(device);
        return pid == null ? OptionalInt.empty() : OptionalInt.of(pid);
    }
}
