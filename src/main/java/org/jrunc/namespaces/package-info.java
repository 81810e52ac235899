/**
 * Linux namespaces: the kinds config.json names ({@link org.jrunc.namespaces.NamespaceKind}), which a container gets
 * new, joins by path or shares with the runtime ({@link org.jrunc.namespaces.NamespacePlan}), and the uid/gid maps
 * of a new user namespace ({@link org.jrunc.namespaces.IdMaps}). The spawn that enters them is {@code process}.
 */
package org.jrunc.namespaces;
