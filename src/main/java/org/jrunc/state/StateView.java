package org.jrunc.state;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jrunc.Version;

/** The runtime-spec state object (runtime.md "State"), with runc's extra fields rootfs, created and owner. */
public final class StateView {

    private StateView() {}

    public static Map<String, Object> of(ContainerRecord r, Status status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", r.ociVersion.isEmpty() ? Version.RUNTIME_SPEC : r.ociVersion);
        m.put("id", r.id);
        boolean hasProcess = status != Status.STOPPED && status != Status.CREATING;
        m.put("pid", hasProcess ? (long) r.initPid : 0L);
        m.put("status", status.value());
        m.put("bundle", r.bundle);
        m.put("rootfs", r.rootfs);
        m.put("created", r.created);
        m.put("owner", r.owner);
        if (!r.annotations.isEmpty()) {
            m.put("annotations", r.annotations);
        }
        return m;
    }

    /** The state passed to hooks on stdin: the spec's fields only. */
    public static Map<String, Object> forHooks(ContainerRecord r, String status, int pid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", r.ociVersion.isEmpty() ? Version.RUNTIME_SPEC : r.ociVersion);
        m.put("id", r.id);
        m.put("status", status);
        m.put("pid", (long) pid);
        m.put("bundle", r.bundle);
        if (!r.annotations.isEmpty()) {
            m.put("annotations", r.annotations);
        }
        return m;
    }
}
