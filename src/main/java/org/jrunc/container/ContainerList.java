package org.jrunc.container;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.json.JsonWriter;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.StateView;

/** `list [--format table|json] [--quiet]`, in runc's column layout. */
public final class ContainerList {
    private final ContainerHost host;
    private final StateStore store;

    public ContainerList(ContainerHost host) {
        this.host = host;
        this.store = host.store();
    }

    public List<Map<String, Object>> states() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                ContainerRecord r = store.load(id);
                Map<String, Object> m = StateView.of(r, host.probe().status(r, store.fifo(id)));
                m.put("owner", ownerOf(store, id));
                out.add(m);
            } catch (JruncException e) {
                // a directory without state (a create in its first instant): not a container yet
            }
        }
        return out;
    }

    private static String ownerOf(StateStore store, String id) {
        try {
            return Files.getOwner(store.dir(id)).getName();
        } catch (IOException e) {
            return "";
        }
    }

    public String render(String format, boolean quiet) {
        List<Map<String, Object>> states = states();
        if (quiet) {
            StringBuilder b = new StringBuilder();
            for (Map<String, Object> s : states) {
                b.append(s.get("id")).append('\n');
            }
            return b.toString();
        }
        if ("json".equals(format)) {
            return (states.isEmpty() ? "null" : JsonWriter.compact(states)) + "\n";
        }
        if (!"table".equals(format)) {
            throw new JruncException("invalid format option");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"});
        for (Map<String, Object> s : states) {
            rows.add(new String[] {
                String.valueOf(s.get("id")),
                String.valueOf(s.get("pid")),
                String.valueOf(s.get("status")),
                String.valueOf(s.get("bundle")),
                String.valueOf(s.get("created")),
                String.valueOf(s.get("owner"))
            });
        }
        return table(rows);
    }

    /** Go's tabwriter with minwidth 12, padding 1, as runc uses. */
    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], Math.max(12, r[i].length() + 3));
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                b.append(r[i]);
                if (i < cols - 1) {
                    b.append(" ".repeat(width[i] - r[i].length()));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }
}
