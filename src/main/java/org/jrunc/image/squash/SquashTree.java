package org.jrunc.image.squash;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The squashed image's file tree while the layers' headers are read, base layer first: which entry of which layer
 * each path ends up as. Contents are never held; a file is an {@link Inode} naming the layer entry that holds its
 * bytes, shared by all of its hard-linked names, so a name a later layer deletes or replaces leaves the inode (and its
 * content) to the names that remain.
 *
 * <p>Paths are walked as tar extraction onto the tree so far would walk them, except that a symbolic link is never
 * followed: a write through one is refused, and a whiteout through one deletes nothing.
 */
final class SquashTree {
    /** An entry's place in the image: layer 0 is the base, index counts the entries of that layer's tar from 0. */
    record EntryRef(int layer, long index) implements Comparable<EntryRef> {
        @Override
        public int compareTo(EntryRef other) {
            int byLayer = Integer.compare(layer, other.layer);
            return byLayer != 0 ? byLayer : Long.compare(index, other.index);
        }
    }

    /** A file, symlink, device or fifo with all the names it has in the tree. */
    static final class Inode {
        final EntryRef source;
        final String sourcePath;
        final EntryKind kind;
        private final Set<Node> names = new HashSet<>();

        Inode(EntryRef source, String sourcePath, EntryKind kind) {
            this.source = source;
            this.sourcePath = sourcePath;
            this.kind = kind;
        }

        /** Its paths, sorted; the first is the one the layer entry itself had, when that name still holds it. */
        List<String> paths() {
            List<String> paths = new ArrayList<>();
            for (Node node : names) {
                paths.add(node.path);
            }
            paths.sort(null);
            if (paths.remove(sourcePath)) {
                paths.add(0, sourcePath);
            }
            return paths;
        }
    }

    /** A path in the tree: a directory (children, and its metadata once an entry names it) or a name of an inode. */
    static final class Node {
        final String path;
        final TreeMap<String, Node> children;
        EntryMetadata directory;
        final Inode inode;

        private Node(String path, EntryMetadata directory) {
            this.path = path;
            this.children = new TreeMap<>();
            this.directory = directory;
            this.inode = null;
        }

        private Node(String path, Inode inode) {
            this.path = path;
            this.children = null;
            this.inode = inode;
        }

        boolean isDirectory() {
            return children != null;
        }

        boolean isSymlink() {
            return inode != null && inode.kind == EntryKind.SYMLINK;
        }
    }

    private final Node root = new Node("", EntryMetadata.IMPLICIT_DIRECTORY);

    /** Deletes {@code path} and what is under it, if it is there ({@code .wh.NAME}). */
    void whiteout(List<String> path) {
        Node parent = existingDirectory(path.subList(0, path.size() - 1));
        if (parent != null) {
            detach(parent.children.remove(path.get(path.size() - 1)));
        }
    }

    /** Empties directory {@code path}, if it is one ({@code .wh..wh..opq}); the directory itself stays. */
    void makeOpaque(List<String> path) {
        Node directory = existingDirectory(path);
        if (directory != null) {
            for (Node child : directory.children.values()) {
                detach(child);
            }
            directory.children.clear();
        }
    }

    /** A directory entry: a new directory, or new metadata on one that is there (its contents stay). */
    void putDirectory(List<String> path, EntryMetadata metadata) throws EntryPath.Refused {
        Node parent = parentOf(path);
        String name = path.get(path.size() - 1);
        Node existing = parent.children.get(name);
        if (existing != null && existing.isDirectory()) {
            existing.directory = metadata;
        } else {
            detach(existing);
            parent.children.put(name, new Node(EntryPath.join(path), metadata));
        }
    }

    /** A non-directory entry, or a hard link ({@code inode} of its target): replaces whatever was at the path. */
    void putInode(List<String> path, Inode inode) throws EntryPath.Refused {
        Node parent = parentOf(path);
        String name = path.get(path.size() - 1);
        Node node = new Node(EntryPath.join(path), inode);
        detach(parent.children.put(name, node));
        inode.names.add(node);
    }

    /** The inode a hard link to {@code target} shares: the one at that path now, which must not be a directory. */
    Inode linkTarget(List<String> target) throws EntryPath.Refused {
        Node node = root;
        for (int i = 0; i < target.size(); i++) {
            if (!node.isDirectory()) {
                throw new EntryPath.Refused("hard link target " + SquashException.quote(EntryPath.join(target))
                        + " goes through " + (node.isSymlink() ? "a symbolic link" : "a non-directory"));
            }
            node = node.children.get(target.get(i));
            if (node == null) {
                throw new EntryPath.Refused("hard link target " + SquashException.quote(EntryPath.join(target))
                        + " is in no earlier entry or layer");
            }
        }
        if (node.isDirectory()) {
            throw new EntryPath.Refused(
                    "hard link target " + SquashException.quote(EntryPath.join(target)) + " is a directory");
        }
        return node.inode;
    }

    /** Every directory but the root, parents before children, siblings sorted by name. */
    List<Node> directories() {
        List<Node> directories = new ArrayList<>();
        Deque<Node> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Node directory = pending.pop();
            if (directory != root) {
                directories.add(directory);
            }
            for (Node child : directory.children.descendingMap().values()) {
                if (child.isDirectory()) {
                    pending.push(child);
                }
            }
        }
        return directories;
    }

    /** The inodes that still have a name, by the entry that holds their content. */
    SortedMap<EntryRef, Inode> inodes() {
        SortedMap<EntryRef, Inode> inodes = new TreeMap<>();
        Deque<Node> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            for (Node child : pending.pop().children.values()) {
                if (child.isDirectory()) {
                    pending.push(child);
                } else {
                    inodes.put(child.inode.source, child.inode);
                }
            }
        }
        return inodes;
    }

    /** The directory at {@code path} without creating or following anything; null when there is none. */
    private Node existingDirectory(List<String> path) {
        Node node = root;
        for (String name : path) {
            node = node.children.get(name);
            if (node == null || !node.isDirectory()) {
                return null;
            }
        }
        return node;
    }

    /** The parent directory of {@code path}, created as tar extraction would for a name whose parents are missing. */
    private Node parentOf(List<String> path) throws EntryPath.Refused {
        Node node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Node child = node.children.get(path.get(i));
            if (child == null) {
                child = new Node(EntryPath.join(path.subList(0, i + 1)), (EntryMetadata) null);
                node.children.put(path.get(i), child);
            } else if (!child.isDirectory()) {
                throw new EntryPath.Refused("parent " + SquashException.quote(child.path)
                        + (child.isSymlink() ? " is a symbolic link (a write through it)" : " is not a directory"));
            }
            node = child;
        }
        return node;
    }

    /** Takes a removed node's names (and its subtree's) off their inodes. */
    private static void detach(Node node) {
        if (node == null) {
            return;
        }
        if (node.isDirectory()) {
            for (Map.Entry<String, Node> child : node.children.entrySet()) {
                detach(child.getValue());
            }
        } else {
            node.inode.names.remove(node);
        }
    }
}
