package org.jrunc.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.jrunc.JruncException;
import org.jrunc.process.ProcStat;

/**
 * The --root directory: one sub-directory per container holding state.json, exec.fifo and a copy of config.json.
 * Creating the sub-directory is the lock that makes two concurrent creates of one ID safe: mkdir succeeds for exactly
 * one of them.
 */
public final class StateStore {
    public static final String DEFAULT_ROOT = "/run/jrunc";
    public static final String STATE_FILE = "state.json";
    public static final String FIFO_FILE = "exec.fifo";
    public static final String CONFIG_COPY = "config.json";
    private static final Pattern VALID_ID = Pattern.compile("^[A-Za-z0-9_+\\-.]+$");

    /** The directory under $XDG_RUNTIME_DIR a rootless caller's default root is (runc's is "runc"). */
    public static final String XDG_SUBDIRECTORY = "jrunc";

    private final Path root;
    /** Why the root is where it is, when it was not given: added to the error when it cannot be made; else null. */
    private final String rootReason;
    /** A root under $XDG_RUNTIME_DIR gets runc's mode there: 0700 and sticky, so it is not pruned. */
    private final boolean sticky;

    public StateStore(String root) {
        this(root, null, false);
    }

    /** A default root that may not be usable, with the reason it was chosen (see {@link #reserve}). */
    public StateStore(String root, String rootReason) {
        this(root, rootReason, false);
    }

    private StateStore(String root, String rootReason, boolean sticky) {
        this.root = Path.of(root == null || root.isEmpty() ? DEFAULT_ROOT : root)
                .toAbsolutePath()
                .normalize();
        this.rootReason = rootReason;
        this.sticky = sticky;
    }

    /** A rootless caller's default: $XDG_RUNTIME_DIR/jrunc. */
    public static StateStore underXdgRuntimeDir(String xdgRuntimeDir) {
        // runc's words for the same failure
        return new StateStore(
                Path.of(xdgRuntimeDir, XDG_SUBDIRECTORY).toString(),
                "the path in $XDG_RUNTIME_DIR must be writable by the user",
                true);
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        return root.resolve(id);
    }

    public Path fifo(String id) {
        return dir(id).resolve(FIFO_FILE);
    }

    public Path configCopy(String id) {
        return dir(id).resolve(CONFIG_COPY);
    }

    /** runc's rule: non-empty, [A-Za-z0-9_+-.] only, and not a path element like "." or "..". */
    public static void validateId(String id) {
        if (id == null || id.isEmpty()) {
            throw new JruncException("container id cannot be empty");
        }
        if (!VALID_ID.matcher(id).matches() || id.equals(".") || id.equals("..") || id.length() > 1024) {
            throw new JruncException("invalid container id format: " + id);
        }
    }

    /**
     * Claims the ID by creating its directory (0711, as runc). Throws runc's "already exists" error when another
     * container, or a concurrent create, holds it.
     */
    public Path reserve(String id) {
        validateId(id);
        makeRoot();
        try {
            Path dir = Files.createDirectory(dir(id));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw new JruncException("container with given ID already exists");
        } catch (IOException e) {
            throw new JruncException(
                    "cannot create state directory " + dir(id) + ": " + JruncException.reason(e) + reasonForRoot());
        }
    }

    /** The root, 0700 (and sticky under $XDG_RUNTIME_DIR), with its parents; the error names the path that failed. */
    private void makeRoot() {
        if (Files.isDirectory(root)) {
            return;
        }
        try {
            Files.createDirectories(root);
            Files.setAttribute(root, "unix:mode", sticky ? 01700 : 0700);
        } catch (IOException e) {
            String failed = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : root.toString();
            throw new JruncException(
                    "cannot create state directory " + failed + ": " + JruncException.reason(e) + reasonForRoot());
        }
    }

    private String reasonForRoot() {
        return rootReason == null ? "" : " (" + rootReason + ")";
    }

    public boolean exists(String id) {
        return Files.isDirectory(dir(id));
    }

    /** Loads state.json; a missing container gives runc's "container does not exist". */
    public ContainerRecord load(String id) {
        validateId(id);
        Path file = dir(id).resolve(STATE_FILE);
        String json;
        try {
            json = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new JruncException("container does not exist");
        } catch (IOException e) {
            throw new JruncException("cannot read " + file + ": " + e.getMessage());
        }
        try {
            return ContainerRecord.fromJson(json);
        } catch (RuntimeException e) {
            throw new JruncException(file + ": corrupt state file: " + e.getMessage());
        }
    }

    /** Writes state.json atomically: a temp file in the same directory, then rename. */
    public void save(ContainerRecord record) {
        Path dir = dir(record.id);
        Path tmp = dir.resolve(".state.json." + ProcStat.self().pid());
        try {
            Files.write(tmp, record.toJson().getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new JruncException("cannot write state of " + record.id + ": " + e.getMessage());
        }
    }

    /** Removes the container's directory and everything in it. Missing is fine. */
    public void remove(String id) {
        Path dir = dir(id);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new JruncException("cannot remove state directory " + dir + ": " + e.getMessage());
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new JruncException("cannot remove state directory " + dir + ": " + e.getMessage());
        }
    }

    /** IDs of all containers under the root, sorted. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                if (Files.isDirectory(p)) {
                    ids.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new JruncException("cannot list " + root + ": " + e.getMessage());
        }
        Collections.sort(ids);
        return ids;
    }
}
