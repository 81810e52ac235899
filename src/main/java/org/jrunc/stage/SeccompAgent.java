package org.jrunc.stage;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.Version;
import org.jrunc.json.JsonWriter;
import org.jrunc.sys.Syscalls;

/**
 * SCMP_ACT_NOTIFY: the listener fd goes to the seccomp agent with the "container process state" of config-linux.md,
 * in one message on the connection the runtime opened to linux.seccomp.listenerPath, which is then closed.
 */
final class SeccompAgent {
    private SeccompAgent() {}

    /**
     * @param pid the process the filter is on, as the host sees it
     * @param metadata linux.seccomp.listenerMetadata, or null
     * @param state the container's runtime-spec state
     */
    static void send(Syscalls sys, int socket, int listenerFd, int pid, String metadata, Map<String, Object> state) {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("ociVersion", Version.RUNTIME_SPEC);
        msg.put("fds", List.of("seccompFd"));
        msg.put("pid", (long) pid);
        msg.put("metadata", metadata == null ? "" : metadata);
        msg.put("state", state);
        sys.sendFds(socket, JsonWriter.compact(msg).getBytes(StandardCharsets.UTF_8), listenerFd);
        sys.close(socket);
        sys.close(listenerFd);
    }
}
