package org.jrunc.container;

import org.jrunc.json.JsonWriter;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.StateView;
import org.jrunc.state.Status;

/** `state`: the runtime-spec state JSON, with the status derived from the kernel at query time. */
public final class ContainerState {
    private final ContainerHost host;
    private final StateStore store;

    public ContainerState(ContainerHost host) {
        this.host = host;
        this.store = host.store();
    }

    public Status status(ContainerRecord r) {
        return host.probe().status(r, store.fifo(r.id));
    }

    /** Indented like runc's output, without a trailing newline. */
    public String json(String id) {
        ContainerRecord r = store.load(id);
        return JsonWriter.pretty(StateView.of(r, status(r)));
    }
}
