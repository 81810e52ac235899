package org.jrunc.image.cache;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file or directory being written in the cache's tmp/ directory. Its name carries the writer's pid, so that a
 * later pull can tell a dead writer's leftovers (a SIGKILL gives no chance to clean) from a live one's work.
 * Closing deletes whatever was not committed.
 */
public final class StagedFile implements AutoCloseable {
    private final Path path;
    private boolean committed;

    StagedFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    void committed() {
        committed = true;
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                Tree.delete(path);
            } catch (IOException e) {
                // a leftover here is swept by the next pull or `cache clean`, which know it by its dead pid
            }
        }
    }
}
