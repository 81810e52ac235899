package org.jrunc.namespaces;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.config.ConfigException;
import org.jrunc.config.Namespace;

/** Which namespaces a container gets new, which it joins by path, and which it shares with the runtime. */
public final class NamespacePlan {
    private final Set<NamespaceKind> created = EnumSet.noneOf(NamespaceKind.class);
    private final Map<NamespaceKind, String> joined = new EnumMap<>(NamespaceKind.class);

    public static NamespacePlan parse(List<Namespace> namespaces) {
        NamespacePlan plan = new NamespacePlan();
        for (int i = 0; i < namespaces.size(); i++) {
            Namespace ns = namespaces.get(i);
            String field = "config.json: field linux.namespaces[" + i + "]";
            NamespaceKind kind = ns.type() == null ? null : NamespaceKind.fromSpec(ns.type());
            if (kind == null) {
                throw new ConfigException(field + ".type: unknown namespace type \"" + ns.type() + "\"");
            }
            if (plan.created.contains(kind) || plan.joined.containsKey(kind)) {
                throw new ConfigException(field + ".type: duplicate namespace type \"" + ns.type() + "\"");
            }
            if (ns.path() == null || ns.path().isEmpty()) {
                plan.created.add(kind);
            } else {
                if (!ns.path().startsWith("/")) {
                    throw new ConfigException(field + ".path: must be absolute, got \"" + ns.path() + "\"");
                }
                plan.joined.put(kind, ns.path());
            }
        }
        return plan;
    }

    public boolean creates(NamespaceKind kind) {
        return created.contains(kind);
    }

    public boolean joins(NamespaceKind kind) {
        return joined.containsKey(kind);
    }

    /** Either created or joined: the container does not share it with the host. */
    public boolean isPrivate(NamespaceKind kind) {
        return creates(kind) || joins(kind);
    }

    public Map<NamespaceKind, String> joined() {
        return joined;
    }

    /** This plan, except that {@code kind} is left for the process to join itself (the spawn shares it instead). */
    public NamespacePlan withoutJoining(NamespaceKind kind) {
        NamespacePlan copy = new NamespacePlan();
        copy.created.addAll(created);
        copy.joined.putAll(joined);
        copy.joined.remove(kind);
        return copy;
    }

    /** clone/unshare flags of the namespaces to create, except those in {@code except}. */
    public int createFlags(Set<NamespaceKind> except) {
        int flags = 0;
        for (NamespaceKind k : created) {
            if (!except.contains(k)) {
                flags |= k.flag();
            }
        }
        return flags;
    }
}
